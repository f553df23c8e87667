# AsyncAttrs: await obj.awaitable_attrs.<relationship> loads it inside the await, on a learner's Base on sqlite+aiosqlite://; the fixture's models have no awaitable_attrs
from sqlalchemy.ext.asyncio import AsyncAttrs, create_async_engine, async_sessionmaker, AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
class Base(AsyncAttrs, DeclarativeBase):
    pass
class Author(Base):
    __tablename__ = "authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    books: Mapped[list["Book"]] = relationship(back_populates="author")
class Book(Base):
    __tablename__ = "books"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    author: Mapped["Author"] = relationship(back_populates="books")
aengine = create_async_engine("sqlite+aiosqlite://")
async with aengine.begin() as conn:
    await conn.run_sync(Base.metadata.create_all)
Factory = async_sessionmaker(aengine, expire_on_commit=False)
s = Factory()
s.add_all([Author(name="Ann", books=[Book(title="One"), Book(title="Two")]), Author(name="Bo")])
await s.commit()
await s.close()
s = Factory()
a = await s.get(Author, 1)
a.books
books = await a.awaitable_attrs.books
[b.title for b in books]
a.books is books
b = await s.get(Book, 2)
(await b.awaitable_attrs.author).name
(await b.awaitable_attrs.title)
type(a.awaitable_attrs).__name__
bo = (await s.execute(select(Author).where(Author.name == "Bo"))).scalar_one()
await bo.awaitable_attrs.books
await s.close()
fs = AsyncSession(async_engine)
u = await fs.get(User, 1)
u.awaitable_attrs
await fs.close()
