# relationship(secondary=..., primaryjoin=..., secondaryjoin=...): a self-referential many-to-many (followers/following); lazy, selectin, joined loads, join(), any(), append/remove
class Base(DeclarativeBase): pass
follows = Table(
    "follows_v29",
    Base.metadata,
    Column("follower_id", ForeignKey("accounts_v29.id"), primary_key=True),
    Column("followed_id", ForeignKey("accounts_v29.id"), primary_key=True),
)
class Account(Base):
    __tablename__ = "accounts_v29"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    following: Mapped[List["Account"]] = relationship(
        secondary=follows,
        primaryjoin=id == follows.c.follower_id,
        secondaryjoin=id == follows.c.followed_id,
        back_populates="followers",
        order_by=lambda: Account.name,
    )
    followers: Mapped[List["Account"]] = relationship(
        secondary=follows,
        primaryjoin=id == follows.c.followed_id,
        secondaryjoin=id == follows.c.follower_id,
        back_populates="following",
    )
    def __repr__(self):
        return f"Account({self.name!r})"
Base.metadata.create_all(engine)
s = Session(engine)
ann, bob, cy = Account(name="ann"), Account(name="bob"), Account(name="cy")
ann.following.append(bob)
s.add_all([ann, bob, cy])
s.commit()
ann.following.append(cy)
s.commit()
bob.following.append(cy)
s.commit()
cy.followers
ann.following
bob.followers
s.close()
s.scalars(select(Account).options(selectinload(Account.following)).order_by(Account.id)).all()[0].following
s.close()
s.scalars(select(Account).options(joinedload(Account.followers)).order_by(Account.id)).unique().all()[2].followers
s.close()
s.scalars(select(Account).join(Account.following).where(Account.name == "ann")).all()
f = aliased(Account)
s.execute(select(Account.name, f.name).join(Account.following.of_type(f)).order_by(Account.id, f.id)).all()
s.execute(select(Account.name, f.name).join(f, Account.followers).order_by(Account.id, f.id)).all()
s.scalars(select(Account).where(with_parent(bob, Account.following))).all()
s.scalars(select(Account).where(Account.followers.any(Account.name == "bob"))).all()
s.scalars(select(Account).where(~Account.following.any())).all()
ann = s.scalars(select(Account).where(Account.name == "ann")).one()
cy = s.get(Account, 3)
ann.following.remove(cy)
cy.following.append(ann)
s.commit()
s.scalars(select(follows.c.follower_id, follows.c.followed_id).order_by(follows.c.follower_id)).all()
s.execute(select(follows).order_by(follows.c.follower_id, follows.c.followed_id)).all()
s.delete(cy)
s.commit()
s.execute(select(follows)).all()
s.close()
Base.metadata.drop_all(engine)
