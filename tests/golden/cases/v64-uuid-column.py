# the uuid module and the Uuid column type with fixed UUIDs: SQLite CHAR(32) bound as 32 hex digits, PostgreSQL UUID bound as the UUID
import uuid
u = uuid.UUID("12345678-1234-5678-1234-567812345678")
print(repr(u), str(u), u.hex, u.version, u == uuid.UUID(hex="12345678123456781234567812345678"))
print(uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"), uuid.uuid3(uuid.NAMESPACE_DNS, "python.org"))
print(uuid.uuid4().version, len(str(uuid.uuid4())))
uuid.UUID("not-a-uuid")
class Token(Base):
    __tablename__ = "tokens"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[uuid.UUID]
    label = mapped_column(Uuid(as_uuid=False))
Token.__table__.create(engine)
session.add(Token(id=u, code=uuid.UUID(int=1), label="0f0e0d0c-0b0a-0908-0706-050403020100"))
session.commit()
tok = session.get(Token, u)
print(repr(tok.id), repr(tok.code), repr(tok.label))
session.scalars(select(Token.code).where(Token.id == u)).all()
