"""Per-process caches of things built from database rows: the catalog vocabulary, the FAQ indexes,
the assistants and the API keys.

Each entry remembers the fingerprint (one cheap aggregate query) it was built from. The fingerprint
is asked again at most every `ENGINE_CACHE_RECHECK_SECONDS`, so a change made by another process is
seen within that time; a write in this process (the models' save and delete signals, the services'
bulk writes) drops the entry at once. Asking every turn cost two aggregate queries per message.
"""

import threading
import time
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.conf import settings

DEFAULT_RECHECK_SECONDS = 2.0


@dataclass
class _Entry[Value]:
    fingerprint: Hashable
    value: Value
    checked_at: float


class WatchedCache[Key: Hashable, Value]:
    """`get(key)` returns `build(key)`, built again only when `fingerprint(key)` changes."""

    def __init__(self, *, fingerprint: Callable[[Key], Hashable], build: Callable[[Key], Value]) -> None:
        self._fingerprint = fingerprint
        self._build = build
        self._entries: dict[Key, _Entry[Value]] = {}
        self._lock = threading.Lock()
        _all_caches.add(self)

    def get(self, key: Key) -> Value:
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and now - entry.checked_at < recheck_seconds():
            return entry.value
        fingerprint = self._fingerprint(key)
        if entry is not None and entry.fingerprint == fingerprint:
            entry.checked_at = now
            return entry.value
        # Built outside the lock: two threads may both build once; neither waits on the other's queries.
        # A write landing mid-build leaves this entry stale until the next recheck, which sees its fingerprint.
        value = self._build(key)
        with self._lock:
            self._entries[key] = _Entry(fingerprint=fingerprint, value=value, checked_at=now)
        return value

    def invalidate(self, key: Key | None = None) -> None:
        """Forget `key` (every key when None): the next `get` builds it again."""
        with self._lock:
            if key is None:
                self._entries.clear()
            else:
                self._entries.pop(key, None)


_all_caches: weakref.WeakSet[WatchedCache] = weakref.WeakSet()


def invalidate_all() -> None:
    """Forget every entry of every cache: for tests, whose rolled-back writes send no signal."""
    for cache in list(_all_caches):
        cache.invalidate()


def recheck_seconds() -> float:
    return float(getattr(settings, "ENGINE_CACHE_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS))
