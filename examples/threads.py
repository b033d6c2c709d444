"""Threads and locks: the article's patterns, with two classic slips."""
import threading

counter = 0
lock = threading.Lock()


def work(n):
    global counter
    lock.acquire()  # PCC301: use `with lock:` so an exception cannot leave it held
    counter += n
    lock.release()


def main():
    threads = []
    for i in range(3):
        t = threading.Thread(target=work, args=(i,))
        threads.append(t)
        t.start()  # PCC201: nobody joins these threads
    print(counter)


if __name__ == "__main__":
    main()
