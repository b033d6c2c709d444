import threading


def work():
    pass


def main():
    t = threading.Thread(target=work)
    t.start()
    t.join()
