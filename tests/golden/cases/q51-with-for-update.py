# Select.with_for_update() and Query.with_for_update(): PostgreSQL locks the rows (FOR UPDATE / FOR SHARE / OF / NOWAIT / SKIP LOCKED); SQLite renders nothing
session = Session(engine)
stmt = select(User).where(User.id == 1).with_for_update()
print(stmt)
session.execute(stmt).scalars().all()
session.execute(select(User.name).where(User.id < 3).with_for_update(nowait=True)).all()
session.execute(select(User).where(User.id == 2).with_for_update(read=True)).scalar_one().name
session.execute(select(Message).join(Message.user).where(User.id == 1).with_for_update(of=Message, skip_locked=True)).scalars().all()
session.execute(select(User.id).with_for_update(key_share=True).limit(2)).all()
session.execute(select(User.id).with_for_update(read=True, key_share=True).order_by(User.id.desc()).limit(1)).scalar()
session.execute(select(User.id, Message.id).join(User.messages).where(Message.id < 3).with_for_update(of=[User.id, User.name, Message.id])).all()
u = aliased(User)
session.execute(select(u.name).where(u.id == 3).with_for_update(of=u)).all()
session.query(User).filter(User.id == 4).with_for_update().one().name
session.query(User).with_for_update(of=User).count()
session.commit()
session.close()
