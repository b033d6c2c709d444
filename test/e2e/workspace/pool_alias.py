from concurrent.futures import ThreadPoolExecutor as TPE


def double_all(values):
    with TPE(max_workers=2) as pool:
        return list(pool.map(lambda v: v * 2, values))
