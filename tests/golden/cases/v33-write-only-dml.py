# WriteOnlyCollection.insert() / update() / delete(): bulk statements in terms of the parent, run with session.execute()
class Base(DeclarativeBase): pass
class Account(Base):
    __tablename__ = "accounts_v33"
    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(30))
    account_transactions: WriteOnlyMapped["AccountTransaction"] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="AccountTransaction.id"
    )
class AccountTransaction(Base):
    __tablename__ = "account_transactions_v33"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts_v33.id", ondelete="cascade"))
    description: Mapped[str] = mapped_column(String(50))
    amount: Mapped[int]
    timestamp: Mapped[datetime] = mapped_column(default=datetime(2024, 1, 1))
Base.metadata.create_all(engine)
s = Session(engine)
acc = Account(identifier="account_01", account_transactions=[AccountTransaction(description="initial deposit", amount=500)])
other = Account(identifier="account_02", account_transactions=[AccountTransaction(description="other transaction", amount=7)])
s.add_all([acc, other])
s.commit()
s.execute(acc.account_transactions.insert(), [{"description": "transaction 1", "amount": 47}, {"description": "transaction 2", "amount": -501}])
[(t.description, t.amount) for t in s.scalars(acc.account_transactions.select())]
t1 = s.scalars(acc.account_transactions.select().where(AccountTransaction.description == "transaction 1")).one()
r = s.execute(acc.account_transactions.update().values(amount=AccountTransaction.amount * 2).where(AccountTransaction.description.like("%transaction%")))
r.rowcount
t1.amount
s.execute(acc.account_transactions.delete().where(AccountTransaction.amount.between(0, 100))).rowcount
[(t.description, t.amount) for t in s.scalars(select(AccountTransaction).order_by(AccountTransaction.id))]
print(acc.account_transactions.update())
print(acc.account_transactions.delete())
print(acc.account_transactions.insert())
s.execute(acc.account_transactions.insert().values(description="single", amount=3))
s.scalar(select(func.count()).select_from(acc.account_transactions.select().subquery()))
s.commit()
s.close()
Base.metadata.drop_all(engine)
