import threading


def work(n):
    return n * 2


def main():
    t = threading.Thread(target=work(21))
    t.start()
    t.join()
