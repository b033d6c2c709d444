import threading

lock = threading.Lock()
counter = 0


def increment():
    global counter
    lock.acquire()
    counter += 1
    lock.release()
