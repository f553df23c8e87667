# select(User).from_statement(text(...)) and from_statement(select(...)): the entity loaded from a statement of one's own
stmt = select(User).from_statement(text("SELECT * FROM users WHERE name = :name")).params(name="Bob")
session.scalars(stmt).all()
session.scalars(select(User).from_statement(text("SELECT * FROM users ORDER BY id DESC LIMIT 2"))).all()
session.execute(select(User).from_statement(select(User).where(User.id == 3))).scalars().one().name
session.scalars(select(Message).from_statement(text("SELECT id, user_id, content, created_at FROM messages WHERE id < 3"))).all()
session.expunge_all()
u = session.scalars(select(User).from_statement(text("SELECT id, name FROM users WHERE id = 4"))).one()
u.email
u.is_active
print(select(User).from_statement(text("SELECT * FROM users")))
session.execute(select(User).from_statement(text("SELECT * FROM users WHERE id = :id")), {"id": 5}).scalar_one().name
session.execute(select(User).from_statement(text("SELECT * FROM users WHERE id < 3"))).all()
