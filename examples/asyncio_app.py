"""An asyncio program with the mistakes the coach catches. Hover any API to learn about it."""
import asyncio
import time


async def fetch(n):
    time.sleep(0.1)  # PCC101: blocks the event loop; try the quick fix
    return n * 2


async def main():
    results = await asyncio.gather(*(fetch(i) for i in range(3)))
    print(results)


if __name__ == "__main__":
    asyncio.run(main())
