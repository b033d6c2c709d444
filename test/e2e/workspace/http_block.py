import asyncio

import requests


async def fetch(url):
    response = requests.get(url, timeout=5)  # blocks the event loop
    await asyncio.sleep(0)
    return response.status_code
