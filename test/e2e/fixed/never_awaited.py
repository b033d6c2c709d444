import asyncio


async def save(item):
    await asyncio.sleep(0)
    return item


async def main():
    await save("report")  # the coroutine is created and dropped
    await asyncio.sleep(0)
