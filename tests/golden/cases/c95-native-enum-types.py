# Enum types on the session's database: a named Enum used by two tables made once, create_all twice (the type already there), native_enum=False, an unnamed Enum's CompileError on PostgreSQL, filters and updates by member, drop_all
import enum
class Mood(enum.Enum):
    HAPPY = "h"
    SAD = "s"
class B(DeclarativeBase): pass
class Pet(B):
    __tablename__ = "pets"
    id: Mapped[int] = mapped_column(primary_key=True)
    mood: Mapped[Mood]
    size = mapped_column(Enum("S", "M", "L", name="pet_size"), nullable=True)
    plain = mapped_column(Enum("x", "yy", native_enum=False), nullable=True)
class Owner(B):
    __tablename__ = "owners"
    id: Mapped[int] = mapped_column(primary_key=True)
    mood = mapped_column(Enum(Mood), nullable=True)
B.metadata.create_all(engine)
B.metadata.create_all(engine)
s = Session(engine)
s.add_all([Pet(mood=Mood.HAPPY, size="M", plain="yy"), Pet(mood=Mood.SAD), Owner(mood=Mood.SAD)])
s.commit()
s.scalars(select(Pet.id).where(Pet.mood == Mood.SAD)).all()
s.execute(select(Pet.mood, Pet.size, Pet.plain).order_by(Pet.id)).all()
s.execute(update(Pet).where(Pet.size == None).values(size="L")).rowcount
s.scalars(select(Pet.size).order_by(Pet.id)).all()
s.get(Owner, 1).mood
s.close()
B.metadata.drop_all(engine)
B.metadata.drop_all(engine)
class C(DeclarativeBase): pass
class Tag(C):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind = mapped_column(Enum("a", "b"))
C.metadata.create_all(engine)
C.metadata.drop_all(engine)
