# Python enums and SQLAlchemy Enum columns: members' name/value/repr/str, lookups by value and name, an Enum(Status) column binding the member's NAME and loading the member, a string Enum
import enum
class Status(enum.Enum):
    ACTIVE = "active"
    BANNED = "banned"
    PENDING_REVIEW = "pending"
Status.ACTIVE
print(Status.ACTIVE, Status.BANNED.name, Status.BANNED.value, len(Status), list(Status))
Status("active")
Status["BANNED"]
Status("x")
Status["x"]
Status.ACTIVE == Status("active"), Status.ACTIVE is Status["ACTIVE"], Status.ACTIVE == "active"
{Status.ACTIVE: 1, Status.BANNED: 2}[Status.BANNED]
[s.name for s in Status]
isinstance(Status.ACTIVE, Status), type(Status.ACTIVE)
Status
class Base(DeclarativeBase): pass
class Acct(Base):
    __tablename__ = "acct"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[Status]
    other = mapped_column(Enum(Status), nullable=True)
    kind = mapped_column(Enum("a", "bb", name="kind_t"))
e = engine
Base.metadata.create_all(e)
s = Session(e)
s.add_all([Acct(status=Status.ACTIVE, other=Status.PENDING_REVIEW, kind="a"), Acct(status=Status.BANNED, kind="bb")])
s.commit()
for a in s.scalars(select(Acct)): print(a.status, a.other, a.kind)
s.scalars(select(Acct.id).where(Acct.status == Status.BANNED)).all()
s.get(Acct, 1).status
s.close()
Base.metadata.drop_all(e)
