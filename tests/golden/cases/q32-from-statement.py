# select(User).from_statement(text(...)) and from_statement(select(...)); Load(User) option chains; chained loader options
stmt = select(User).from_statement(text("SELECT * FROM users WHERE name = :name")).params(name="Bob")
session.scalars(stmt).all()
session.scalars(select(User).from_statement(text("SELECT * FROM users ORDER BY id DESC LIMIT 2"))).all()
session.execute(select(User).from_statement(select(User).where(User.id == 3))).scalars().one().name
session.scalars(select(Message).from_statement(text("SELECT id, user_id, content, created_at FROM messages WHERE id < 3"))).all()
session.expunge_all()
users = session.scalars(select(User).options(Load(User).joinedload(User.messages)).where(User.id < 3)).unique().all()
len(users[0].messages)
session.expunge_all()
users = session.scalars(select(User).options(Load(User).load_only(User.name)).order_by(User.id).limit(2)).all()
users[0].name
session.expunge_all()
users = session.scalars(select(User).options(joinedload(User.messages).selectinload(Message.user)).where(User.id == 1)).unique().all()
users[0].messages[0].user.name
session.expunge_all()
users = session.scalars(select(User).options(selectinload(User.role).selectinload(Role.users)).where(User.id == 1)).all()
len(users[0].role.users)
