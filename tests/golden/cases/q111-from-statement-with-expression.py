# from_statement() of a union_all of an entity plus a labeled count, with FromStatement.options(with_expression(...)) and selected_columns
from sqlalchemy.orm import DeclarativeBase, query_expression, with_expression
class Base2(DeclarativeBase):
    pass
class Owner(Base2):
    __tablename__ = "owner"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    pet_count: Mapped[int] = query_expression()
class Pet(Base2):
    __tablename__ = "pet"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner.id"))
Base2.metadata.create_all(engine)
s = Session(engine)
s.add_all([Owner(id=1, name="ann"), Owner(id=2, name="bo"), Pet(id=1, owner_id=1), Pet(id=2, owner_id=1), Pet(id=3, owner_id=2)])
s.commit()
s1 = select(Owner, func.count(Pet.id).label("pet_count")).join_from(Owner, Pet).where(Owner.name == "ann").group_by(Owner.id)
s2 = select(Owner, func.count(Pet.id).label("pet_count")).join_from(Owner, Pet).where(Owner.name == "bo").group_by(Owner.id)
u = union_all(s1, s2)
u.selected_columns.keys()
stmt = select(Owner).from_statement(u).options(with_expression(Owner.pet_count, u.selected_columns.pet_count))
[(o.name, o.pet_count) for o in s.scalars(stmt)]
s.close()
[(o.name, o.pet_count) for o in s.scalars(select(Owner).from_statement(u))]
[(o.name, o.pet_count) for o in s.scalars(select(Owner).from_statement(s1).options(with_expression(Owner.pet_count, s1.selected_columns.pet_count)))]
s.close()
