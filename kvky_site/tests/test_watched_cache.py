import threading

from kvky_site.watched_cache import WatchedCache, invalidate_all


class Source:
    """A tiny stand-in for a table: a version that changes on write, and counts of what the cache asked."""

    def __init__(self) -> None:
        self.version = 1
        self.fingerprints_asked = 0
        self.builds = 0

    def fingerprint(self, key: str) -> int:
        self.fingerprints_asked += 1
        return self.version

    def build(self, key: str) -> tuple[str, int]:
        self.builds += 1
        return (key, self.version)


def make_cache(source: Source) -> WatchedCache[str, tuple[str, int]]:
    return WatchedCache(fingerprint=source.fingerprint, build=source.build)


def test_it_builds_once_and_does_not_ask_again_within_the_recheck_interval(settings) -> None:
    settings.ENGINE_CACHE_RECHECK_SECONDS = 60
    source = Source()
    cache = make_cache(source)
    first = cache.get("a")
    assert cache.get("a") is first
    assert (source.builds, source.fingerprints_asked) == (1, 1)


def test_it_asks_the_fingerprint_again_after_the_interval_and_keeps_an_unchanged_value(settings) -> None:
    settings.ENGINE_CACHE_RECHECK_SECONDS = 0
    source = Source()
    cache = make_cache(source)
    first = cache.get("a")
    assert cache.get("a") is first
    assert (source.builds, source.fingerprints_asked) == (1, 2)


def test_it_rebuilds_when_the_fingerprint_changed_after_the_interval(settings) -> None:
    settings.ENGINE_CACHE_RECHECK_SECONDS = 0
    source = Source()
    cache = make_cache(source)
    cache.get("a")
    source.version = 2
    assert cache.get("a") == ("a", 2)


def test_it_serves_the_cached_value_until_the_interval_passes(settings) -> None:
    settings.ENGINE_CACHE_RECHECK_SECONDS = 60
    source = Source()
    cache = make_cache(source)
    cache.get("a")
    source.version = 2
    assert cache.get("a") == ("a", 1)


def test_it_rebuilds_at_once_after_invalidate(settings) -> None:
    settings.ENGINE_CACHE_RECHECK_SECONDS = 60
    source = Source()
    cache = make_cache(source)
    cache.get("a")
    source.version = 2
    cache.invalidate("a")
    assert cache.get("a") == ("a", 2)


def test_it_keeps_other_keys_when_one_is_invalidated(settings) -> None:
    settings.ENGINE_CACHE_RECHECK_SECONDS = 60
    source = Source()
    cache = make_cache(source)
    cache.get("a"), cache.get("b")
    cache.invalidate("a")
    cache.get("b")
    assert source.builds == 2


def test_it_forgets_every_cache_on_invalidate_all(settings) -> None:
    settings.ENGINE_CACHE_RECHECK_SECONDS = 60
    sources = [Source(), Source()]
    caches = [make_cache(source) for source in sources]
    for cache in caches:
        cache.get("a")
    invalidate_all()
    for cache in caches:
        cache.get("a")
    assert [source.builds for source in sources] == [2, 2]


def test_it_gives_every_thread_the_same_value(settings) -> None:
    settings.ENGINE_CACHE_RECHECK_SECONDS = 60
    source = Source()
    cache = make_cache(source)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(cache.get("a"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and all(value == ("a", 1) for value in seen)
