"""One-minute rate windows counted in Django's cache, shared by every process when Redis is configured.

Each channel decides what going over means: a 429 on the API, a JSON error on the web chat,
a single notice on WhatsApp.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class WindowCount:
    count: int  # requests in the current window, this one included
    retry_after: int  # seconds until the window closes

    def over(self, limit: int) -> bool:
        """Past `limit` in this window; a limit of 0 or less means no limit."""
        return limit > 0 and self.count > limit


def count_request(scope: str, key: str) -> WindowCount:
    """Count one request of `key` in `scope`.

    The window opens at the key's first request and lasts a minute, so there is no shared
    boundary where a burst of twice the limit gets through.
    """
    # Hashed: a sender id may hold characters some cache backends refuse in keys.
    cache_key = f"rate:{scope}:{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}"
    now = time.time()
    cache.add(f"{cache_key}:start", now, timeout=WINDOW_SECONDS)
    cache.add(cache_key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window expired between add and incr
        cache.set(cache_key, 1, timeout=WINDOW_SECONDS)
        count = 1
    started = cache.get(f"{cache_key}:start", now)
    return WindowCount(count=count, retry_after=max(1, round(WINDOW_SECONDS - (now - started))))
