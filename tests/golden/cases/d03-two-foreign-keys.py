# Two foreign keys to the same table: foreign_keys=[...] picks each relationship's column; without it, AmbiguousForeignKeysError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    sent: Mapped[list["Letter"]] = relationship(foreign_keys="Letter.sender_id", back_populates="sender")
    received: Mapped[list["Letter"]] = relationship(foreign_keys="[Letter.recipient_id]", back_populates="recipient")


class Letter(Base):
    __tablename__ = "letters"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str]
    sender_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    sender: Mapped["Person"] = relationship(foreign_keys=[sender_id], back_populates="sent")
    recipient: Mapped["Person"] = relationship(foreign_keys=[recipient_id], back_populates="received")


own = create_engine("sqlite://")
Base.metadata.create_all(own)
s = Session(own)
ann = Person(name="Ann")
bob = Person(name="Bob")
s.add(Letter(body="hello", sender=ann, recipient=bob))
s.add(Letter(body="re: hello", sender=bob, recipient=ann))
s.commit()
[(l.body, l.sender.name, l.recipient.name) for l in s.scalars(select(Letter))]
[l.body for l in s.get(Person, 1).sent]
[l.body for l in s.get(Person, 1).received]
s.scalars(select(Letter).join(Letter.recipient).where(Person.name == "Bob")).all()
s.close()


class Other(DeclarativeBase):
    pass


class Account(Other):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)


class Transfer(Other):
    __tablename__ = "transfers"
    id: Mapped[int] = mapped_column(primary_key=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    to_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    source: Mapped["Account"] = relationship()


Transfer(id=1)
select(Transfer).join(Transfer.source)
