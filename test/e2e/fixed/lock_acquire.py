import threading

lock = threading.Lock()
counter = 0


def increment():
    global counter
    with lock:
        counter += 1
