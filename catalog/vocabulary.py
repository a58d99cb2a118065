"""The catalog's `Vocabulary` (nlu.vocabulary), built from the Vehicle rows and cached per process."""

from kvky_site.watched_cache import WatchedCache
from nlu.vocabulary import Vocabulary

# --- The catalog's vocabulary, cached per process ------------------------------------------


def _catalog_fingerprint(_key: str) -> tuple[object, ...]:
    from django.db.models import Count, Max

    from catalog.models import Vehicle

    stats = Vehicle.objects.order_by().aggregate(count=Count("id"), updated=Max("updated_at"), top=Max("id"))
    return stats["count"], stats["updated"], stats["top"]


def _build_vocabulary(_key: str) -> Vocabulary:
    from catalog.models import Vehicle

    pairs = Vehicle.objects.order_by().values_list("make", "model").distinct()
    return Vocabulary.from_pairs(list(pairs))


_vocabularies: WatchedCache[str, Vocabulary] = WatchedCache(fingerprint=_catalog_fingerprint, build=_build_vocabulary)


def get_vocabulary() -> Vocabulary:
    """The vocabulary of the current catalog; rebuilt only when the catalog changed.

    The fingerprint (row count, newest update, highest id) is one aggregate query, asked at most
    every ENGINE_CACHE_RECHECK_SECONDS: every process notices an import or an edit made by another
    one without a shared cache.
    """
    return _vocabularies.get("catalog")


def invalidate_vocabulary() -> None:
    """Forget the cached vocabulary: after a write in this process, or one the fingerprint cannot see
    (a bulk `update()` of names)."""
    _vocabularies.invalidate()
