"""Per-sender rate limit, counted in Django's cache so every process shares it when Redis is configured."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.exceptions import Throttled

WINDOW_SECONDS = 60


def sender_rate_check(sender: str) -> None:
    """Count one request from `sender`; raise Throttled (429 + Retry-After) past the per-minute limit.

    The window opens at the sender's first request and lasts a minute, so there is no
    shared boundary where a burst of twice the limit gets through. A limit of 0 disables it.
    """
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return
    key = _cache_key(sender)
    now = time.time()
    cache.add(f"{key}:start", now, timeout=WINDOW_SECONDS)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    if count > limit:
        started = cache.get(f"{key}:start", now)
        raise Throttled(wait=max(1.0, WINDOW_SECONDS - (now - started)))


def _cache_key(sender: str) -> str:
    # Hashed: a sender id may hold characters some cache backends refuse in keys.
    digest = hashlib.sha256(sender.encode("utf-8")).hexdigest()[:32]
    return f"api-rate:{digest}"
