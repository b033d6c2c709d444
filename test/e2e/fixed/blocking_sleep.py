import time
import asyncio


async def poll():
    await asyncio.sleep(1)


def sync_worker():
    time.sleep(1)
