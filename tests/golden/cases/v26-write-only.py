# Mapped[WriteOnlyMapped["Item"]] / lazy="write_only": a WriteOnlyCollection read with select(), added to with add()/add_all()
class Base(DeclarativeBase): pass
class Account(Base):
    __tablename__ = "accounts_v26"
    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(30))
    account_transactions: WriteOnlyMapped["AccountTransaction"] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="AccountTransaction.timestamp"
    )
class AccountTransaction(Base):
    __tablename__ = "account_transactions_v26"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts_v26.id", ondelete="cascade"))
    description: Mapped[str] = mapped_column(String(50))
    amount: Mapped[int]
    timestamp: Mapped[datetime] = mapped_column(default=datetime(2024, 1, 1))
Base.metadata.create_all(engine)
s = Session(engine)
acc = Account(identifier="account_01", account_transactions=[AccountTransaction(description="initial deposit", amount=500)])
s.add(acc)
s.commit()
acc.account_transactions.add(AccountTransaction(description="withdrawal", amount=-29))
acc.account_transactions.add_all([AccountTransaction(description="a", amount=1), AccountTransaction(description="b", amount=2)])
s.commit()
s.scalars(acc.account_transactions.select().where(AccountTransaction.amount < 0)).all()[0].description
[t.amount for t in s.scalars(acc.account_transactions.select())]
acc.account_transactions.remove(s.scalars(acc.account_transactions.select().limit(1)).one())
s.commit()
s.scalar(select(func.count()).select_from(acc.account_transactions.select().subquery()))
for t in acc.account_transactions: print(t)
s.close()
Base.metadata.drop_all(engine)
