# Seed 000's blocking example pasted as it is: import time, time.sleep() inside async def (it blocks; asyncio.sleep does not), time.perf_counter() to time a query, time's argument errors; from sqlalchemy import event (seed 002) imports
import time
import asyncio

async def slow_function():
    time.sleep(0.01)  # Blocks the entire event loop!
    # All other requests are frozen for 5 seconds

async def fast_function():
    await asyncio.sleep(0.01)  # Non-blocking sleep
    # Other requests can be processed during this time

await slow_function()
await fast_function()
start = time.perf_counter()
users = session.query(User).all()
elapsed = time.perf_counter() - start
print(type(elapsed).__name__, elapsed >= 0, elapsed < 5)
print(time.time() > 1700000000, time.monotonic() <= time.monotonic())
print(time.sleep(0), time.sleep)
from time import sleep, perf_counter
sleep(False)
time.sleep()
time.sleep("1")
time.sleep(-1)
time.time(1)
from sqlalchemy import event
