# ORM Querying Guide relationships.rst: contains_eager() chains with no join in the statement: the targets' columns come first and the entity's table still leads the FROM list
stmt = select(User).options(contains_eager(User.messages))
print(stmt)
stmt = select(User).options(contains_eager(User.groups))
print(stmt)
stmt = select(Message).options(contains_eager(Message.user).contains_eager(User.role))
print(stmt)
stmt = select(User).options(contains_eager(User.messages)).where(User.id == Message.user_id).where(User.id == 1)
for u in session.scalars(stmt).unique():
    print(u.name, sorted(m.id for m in u.messages))
