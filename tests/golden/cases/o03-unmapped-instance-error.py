# UnmappedInstanceError as SQLAlchemy words it for what is not a mapped object: builtins, a plain class's instance, a class given instead of an instance (its metaclass named)
class P:
    pass
class Base2(DeclarativeBase):
    pass
class Thing(Base2):
    __tablename__ = "things"
    id: Mapped[int] = mapped_column(primary_key=True)
Base3 = declarative_base()
class Other(Base3):
    __tablename__ = "others"
    id = Column(Integer, primary_key=True)
for v in [5, "x", [1], None, P(), P, Other, Thing, 2.5, {"a": 1}, (1,), Session]:
    for m in ("add", "delete", "expunge", "refresh", "merge", "expire"):
        try:
            getattr(session, m)(v)
        except Exception as e:
            print(m, type(e).__name__, e)
try:
    session.add_all([User(name="a", email="b"), 3])
except Exception as e:
    print(type(e).__name__, e)
try:
    object_session(3)
except Exception as e:
    print(type(e).__name__, e)
try:
    object_session(P())
except Exception as e:
    print(type(e).__name__, e)
