# repr() of Column and Table, Table.primary_key, t.c["a", "b"] subsets, Table attributes (a column is only under .c), print() of a subquery and a CTE, func types, Base.registry
users = User.__table__
repr(users.c.name)
repr(users.c.id)
repr(Message.__table__.c.user_id)
repr(users.primary_key)
users.primary_key
meta = MetaData()
pet = Table("pet", meta, Column("id", Integer, primary_key=True), Column("name", String(30), nullable=False), Column("parent", ForeignKey("pet.id")), Column("legs", Integer, default=4))
repr(pet)
repr(pet.c.legs)
pet.c["name", "parent"]
list(pet.c["name", "parent"].keys())
pet.c["name", "parent"].name
pet.c["name", "parent"].id
pet.c["legs"]
pet.c[0]
pet.c["nope"]
pet.c[["id", "name"]]
pet.name
pet.fullname
pet.legs
pet.schema
users.email
Base.metadata
Base.registry
type(Base.registry).__name__
sq = select(User.id, User.name).where(User.id < 3).subquery()
print(sq)
cte = select(User.id).where(User.is_active).cte("active")
print(cte)
func.count().type
func.now().type
func.lower(User.name).type
func.max(User.id).type
func.concat("a", "b").type
func.current_date().type
User.name.type
users.c.created_at.type
