"""One-minute rate windows, counted where every process sees the same count: in Redis when REDIS_URL is
set, otherwise in the database (RateWindow). A per-process cache would let each gunicorn worker accept
its own full limit and forget it whenever the worker is recycled.

Each channel decides what going over means: a 429 on the API, a JSON error on the web chat,
a single notice on WhatsApp.
"""

import hashlib
import logging
import math
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache

import redis
from django.conf import settings
from django.db import connection, transaction

from conversations.models import RateWindow

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
CLEANUP_INTERVAL_SECONDS = 60  # how often a process deletes the database's expired windows
REDIS_TIMEOUT_SECONDS = 2
# Atomic in Redis: the first request of a window starts its expiry, later ones only count.
_REDIS_COUNT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""

_cleanup_lock = threading.Lock()
_next_cleanup = 0.0


@dataclass(frozen=True)
class WindowCount:
    count: int  # requests in the current window, this one included
    retry_after: int  # seconds until the window closes

    def over(self, limit: int) -> bool:
        """Past `limit` in this window; a limit of 0 or less means no limit."""
        return limit > 0 and self.count > limit


def count_request(scope: str, key: str, *, window_seconds: float = WINDOW_SECONDS) -> WindowCount:
    """Count one request of `key` in `scope`: one statement, atomic across processes.

    The window opens at the key's first request and lasts `window_seconds` (at most a minute), so
    there is no shared boundary where a burst of twice the limit gets through.
    """
    if not 0 < window_seconds <= WINDOW_SECONDS:
        raise ValueError(f"a rate window lasts between 0 and {WINDOW_SECONDS} s, not {window_seconds}")
    # Hashed: a sender id may hold characters a store refuses in keys, and the table needs no phone numbers.
    key_hash = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    if settings.REDIS_URL:
        try:
            return _count_in_redis(scope, key_hash, window_seconds)
        except redis.RedisError as error:  # Redis down: the database is shared too, and the limit still holds
            logger.warning("Rate limit counted in the database: Redis is unavailable (%s).", error)
    return _count_in_database(scope, key_hash, window_seconds)


@cache
def _redis_script(url: str) -> redis.commands.core.Script:
    client = redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
    )
    return client.register_script(_REDIS_COUNT)


def _count_in_redis(scope: str, key_hash: str, window_seconds: float) -> WindowCount:
    window_ms = max(1, round(window_seconds * 1000))
    count, ttl_ms = _redis_script(settings.REDIS_URL)(keys=[f"rate:{scope}:{key_hash}"], args=[window_ms])
    return WindowCount(count=int(count), retry_after=max(1, math.ceil(int(ttl_ms) / 1000)))


def _count_in_database(scope: str, key_hash: str, window_seconds: float) -> WindowCount:
    now = time.time()
    quote = connection.ops.quote_name
    table, count_column, start = quote(RateWindow._meta.db_table), quote("count"), quote("window_start")
    # An upsert both SQLite and PostgreSQL run atomically on the row: a new key, a window that has
    # passed (reset) and a running window (add one) are all this one statement.
    sql = (
        f"INSERT INTO {table} ({quote('scope')}, {quote('key_hash')}, {start}, {count_column}) "
        f"VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT ({quote('scope')}, {quote('key_hash')}) DO UPDATE SET "
        f"{count_column} = CASE WHEN {table}.{start} <= %s THEN 1 ELSE {table}.{count_column} + 1 END, "
        f"{start} = CASE WHEN {table}.{start} <= %s THEN excluded.{start} ELSE {table}.{start} END "
        f"RETURNING {count_column}, {start}"
    )
    expired_before = now - window_seconds
    # On SQLite a transaction of our own queues the write on the backend's file lock (kvky_site/sqlite)
    # instead of busy-waiting; PostgreSQL needs none for one statement.
    queue = connection.vendor == "sqlite" and not connection.in_atomic_block
    with transaction.atomic() if queue else nullcontext(), connection.cursor() as cursor:
        cursor.execute(sql, [scope, key_hash, now, expired_before, expired_before])
        count, started = cursor.fetchone()
    _cleanup_now_and_then(now)
    return WindowCount(count=int(count), retry_after=max(1, math.ceil(started + window_seconds - now)))


def _cleanup_now_and_then(now: float) -> None:
    """Delete windows that have passed, once a minute per process, so the table holds only live keys."""
    global _next_cleanup
    with _cleanup_lock:
        if now < _next_cleanup:
            return
        _next_cleanup = now + CLEANUP_INTERVAL_SECONDS
    delete_expired_windows(now)


def delete_expired_windows(now: float | None = None) -> int:
    """Delete the database's windows that have passed; how many. No window lasts more than a minute."""
    now = time.time() if now is None else now
    deleted, _ = RateWindow.objects.filter(window_start__lt=now - WINDOW_SECONDS).delete()
    return deleted
