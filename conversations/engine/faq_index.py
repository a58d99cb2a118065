"""The FAQ indexes of the assistants (nlu.faq), built from their FAQ rows and cached per process."""

from typing import Any

from django.db.models import Count, Max, Q

from conversations.models import FAQ, Assistant
from kvky_site.watched_cache import WatchedCache
from nlu import sentences
from nlu.config import pipeline_config
from nlu.faq import FaqEntry, FaqIndex

# --- Per-assistant cache --------------------------------------------------------------


def _fingerprint(assistant_id: int) -> tuple[Any, ...]:
    stats = FAQ.objects.filter(assistant_id=assistant_id).aggregate(
        total=Count("id"), active=Count("id", filter=Q(is_active=True)), changed=Max("updated_at"), last=Max("id")
    )
    return (stats["total"], stats["active"], stats["changed"], stats["last"])


def _load_entries(assistant_id: int) -> list[FaqEntry]:
    rows = FAQ.objects.filter(assistant_id=assistant_id, is_active=True).values_list(
        "id", "question", "answer", "additional_info", "keywords"
    )
    return [FaqEntry(*row) for row in rows]


def _build_index(assistant_id: int) -> FaqIndex:
    kind = Assistant.objects.filter(pk=assistant_id).values_list("kind", flat=True).first()
    reads_meaning = kind is not None and pipeline_config(kind).faq_reads_meaning
    return FaqIndex.build(_load_entries(assistant_id), meaning=sentences.encoder() if reads_meaning else None)


_indexes: WatchedCache[int, FaqIndex] = WatchedCache(fingerprint=_fingerprint, build=_build_index)


def get_faq_index(assistant) -> FaqIndex:
    """The assistant's active FAQs as an index, rebuilt only when its FAQs change.

    Whether they changed is one aggregate query, asked at most every ENGINE_CACHE_RECHECK_SECONDS.
    """
    return _indexes.get(assistant.pk)


def invalidate_faq_index(assistant_id: int | None = None) -> None:
    """Forget an assistant's index (every index when None) after a write in this process."""
    _indexes.invalidate(assistant_id)
