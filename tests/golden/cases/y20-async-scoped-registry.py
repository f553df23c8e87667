# async_scoped_session(...).registry: has(), set(), clear(), a call; remove() closes and forgets
import asyncio
from sqlalchemy.ext.asyncio import async_sessionmaker, async_scoped_session, AsyncSession
factory = async_sessionmaker(async_engine)
Scoped = async_scoped_session(factory, scopefunc=asyncio.current_task)
type(Scoped.registry).__name__
Scoped.registry.createfunc is factory
async def use():
    print(Scoped.registry.has())
    s = Scoped()
    print(Scoped.registry.has(), s is Scoped.registry())
    u = await Scoped.get(User, 3)
    print(u in s, s.in_transaction())
    await Scoped.remove()
    print(Scoped.registry.has(), s.in_transaction(), u in s)
    await Scoped.remove()
await use()
async def use2():
    mine = AsyncSession(async_engine)
    Scoped.registry.set(mine)
    print(Scoped.registry.has(), Scoped() is mine)
    await Scoped.get(User, 1)
    Scoped.registry.clear()
    print(Scoped.registry.has(), mine.in_transaction(), Scoped() is mine)
    await mine.close()
    await Scoped.remove()
await use2()
Scoped.registry.has()
Scoped.registry.nope
