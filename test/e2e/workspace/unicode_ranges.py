import time


async def naïve_poll():
    label = "🐍"; time.sleep(1)
    return label
