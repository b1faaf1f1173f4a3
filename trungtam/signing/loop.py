"""pyHanko's synchronous calls run `asyncio.run()` inside, which refuses to start in a thread where
an event loop is already running (an async server's thread; a browser driven from the same thread
in the tests). There such a call runs in a short-lived thread of its own."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def outside_event_loop(function, /, *args, **kwargs):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(function, *args, **kwargs).result()
