carol = session.get(User, 3)
first = carol.messages[0]
carol.messages.remove(first)
print(first.user)
session.commit()
session.rollback()
session.query(Message).filter(Message.user_id == None).count()
