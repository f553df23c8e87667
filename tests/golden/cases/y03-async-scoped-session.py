# async_scoped_session(factory, scopefunc=current_task): one AsyncSession per task, proxied methods, await remove()
import asyncio
from asyncio import current_task
from sqlalchemy.ext.asyncio import async_scoped_session, async_sessionmaker, AsyncSession
factory = async_sessionmaker(async_engine, expire_on_commit=False)
Scoped = async_scoped_session(factory, scopefunc=current_task)
type(Scoped).__name__
async def in_task():
    return Scoped()
async def main():
    s1 = Scoped()
    s2 = Scoped()
    print(s1 is s2, type(s1).__name__)
    u = await Scoped.get(User, 2)
    print(u.name)
    print((await Scoped.execute(select(func.count(User.id)))).scalar())
    Scoped.add(Message(user_id=2, content="scoped"))
    await Scoped.commit()
    await Scoped.remove()
    s3 = Scoped()
    print(s3 is s1)
    other = await asyncio.gather(in_task(), in_task())
    print(other[0] is s3, other[0] is other[1])
    for o in other:
        await o.close()
    await Scoped.remove()
await main()
asyncio.run(main())
async_scoped_session(factory)
