# asyncio.create_task and asyncio.sleep(0): tasks take turns at each await, in asyncio's order
import asyncio
log = []
async def worker(name, n):
    for i in range(n):
        log.append(f"{name}{i}")
        await asyncio.sleep(0)
    return name.upper()
async def main():
    t = asyncio.create_task(worker("a", 3))
    log.append("created")
    await asyncio.sleep(0)
    log.append("main")
    r = await t
    log.append(r)
    return log
asyncio.run(main())
log.clear()
await asyncio.gather(worker("x", 2), worker("y", 3), worker("z", 1))
log
async def later():
    log.clear()
    t1 = asyncio.create_task(worker("p", 2))
    t2 = asyncio.create_task(worker("q", 2))
    log.append("both made")
    await asyncio.sleep(0.01)
    log.append("slept")
    return [t1.done(), t2.done(), await t1, await t2]
asyncio.run(later())
log
async def sleepers():
    async def nap(d, name):
        await asyncio.sleep(d)
        log.append(name)
    log.clear()
    await asyncio.gather(nap(0.03, "slow"), nap(0.01, "fast"), nap(0.02, "mid"))
    return log
asyncio.run(sleepers())
