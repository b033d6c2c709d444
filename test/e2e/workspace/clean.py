import asyncio
import threading
import time


async def poll():
    await asyncio.sleep(1)


def sync_worker():
    time.sleep(1)


def main():
    t = threading.Thread(target=sync_worker)
    t.start()
    t.join()
    lock = threading.Lock()
    with lock:
        pass
