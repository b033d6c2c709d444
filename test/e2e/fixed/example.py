import threading
import time
import asyncio


async def poll():
    await asyncio.sleep(1)


def main():
    t = threading.Thread(target=print)
    t.start()
