# relationship(foreign_keys=[...]) to tell two foreign keys to the same table apart
class Base(DeclarativeBase): pass
class Customer(Base):
    __tablename__ = "customers_v24"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    billing_address_id: Mapped[Optional[int]] = mapped_column(ForeignKey("places_v24.id"))
    shipping_address_id: Mapped[Optional[int]] = mapped_column(ForeignKey("places_v24.id"))
    billing_address: Mapped["Place"] = relationship(foreign_keys=[billing_address_id])
    shipping_address: Mapped["Place"] = relationship(foreign_keys="Customer.shipping_address_id")
class Place(Base):
    __tablename__ = "places_v24"
    id: Mapped[int] = mapped_column(primary_key=True)
    street: Mapped[str] = mapped_column(String(50))
Base.metadata.create_all(engine)
s = Session(engine)
c = Customer(name="bo", billing_address=Place(street="1 Main"), shipping_address=Place(street="2 Side"))
s.add(c)
s.commit()
c.billing_address.street
c.shipping_address.street
s.scalars(select(Customer).join(Customer.shipping_address).where(Place.street == "2 Side")).all()
s.close()
Base.metadata.drop_all(engine)
