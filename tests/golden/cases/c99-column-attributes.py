# a Column's attributes as SQLAlchemy's: .type, .name, .key, .nullable, .primary_key, .table — on a table's columns, a mapped class's, and a Column not yet in a Table
md = MetaData()
t = Table("t_c99", md, Column("id", Integer, primary_key=True), Column("name", String(30), nullable=False), Column("note", Text))
print(t.c.name.type, repr(t.c.id.type), t.c.name.nullable, t.c.note.nullable, t.c.id.nullable)
print(t.c.id.primary_key, t.c.name.primary_key, t.c.name.name, t.c.name.key)
print(t.c.name.table, t.c.name.table.name, t.c.name.table is t)
print(User.__table__.c.email.type, User.name.type, User.__table__.c.id.primary_key)
c = Column("x", Integer)
print(c.type, c.name, c.key, c.nullable, c.primary_key)
k = Column(String(20), primary_key=True)
print(k.name, k.type, k.nullable)
t.c.name.nosuch
