import time
import asyncio


async def naïve_poll():
    label = "🐍"; await asyncio.sleep(1)
    return label
