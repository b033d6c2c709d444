import time


async def poll():
    time.sleep(1)


def sync_worker():
    time.sleep(1)
