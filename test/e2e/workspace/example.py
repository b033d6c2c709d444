import threading
import time


async def poll():
    time.sleep(1)


def main():
    t = threading.Thread(target=print)
    t.start()
