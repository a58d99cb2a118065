"""Per-sender WhatsApp rate limit, counted in Django's cache (shared by every process when Redis is configured).

WhatsApp has no 429: a customer over the limit is told once to slow down, and the rest of the
burst is stored but not answered.
"""

import enum
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


class RateVerdict(enum.Enum):
    ALLOWED = "allowed"
    NOTIFY = "notify"  # the first message over the limit: answer with a notice
    SILENT = "silent"  # the rest of the burst: store, don't answer


def whatsapp_rate_check(sender: str) -> RateVerdict:
    """Count one message from `sender` in its one-minute window. A limit of 0 disables the limit."""
    limit = settings.WHATSAPP_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return RateVerdict.ALLOWED
    try:
        count = _count(_cache_key(sender))
    except RedisError as error:  # Redis down: answer rather than leave the customer unanswered
        logger.warning("WhatsApp rate limit not counted, the cache is unavailable: %s", error)
        return RateVerdict.ALLOWED
    if count <= limit:
        return RateVerdict.ALLOWED
    return RateVerdict.NOTIFY if count == limit + 1 else RateVerdict.SILENT


def _count(key: str) -> int:
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def _cache_key(sender: str) -> str:
    digest = hashlib.sha256(sender.encode("utf-8")).hexdigest()[:32]
    return f"whatsapp-rate:{digest}"
