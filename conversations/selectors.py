"""Reads for the conversations app."""

import copy
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, QuerySet

from conversations.models import (
    ApiKey,
    Assistant,
    Channel,
    Conversation,
    Message,
    normalise_channel_number,
)
from kvky_site.watched_cache import WatchedCache


class AssistantResolutionError(Exception):
    """The request does not name exactly one assistant. `code` is the API's error code."""

    code = "assistant_invalid"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class AssistantNotFound(AssistantResolutionError):
    code = "assistant_not_found"


class AssistantAmbiguous(AssistantResolutionError):
    code = "assistant_ambiguous"


def assistant_list() -> QuerySet[Assistant]:
    return Assistant.objects.prefetch_related("channel_numbers").order_by("slug")


def assistant_resolve(*, slug: str | None, to: str | None) -> Assistant:
    """The assistant a request is for: by slug when given, else by channel number, else the only one.

    An explicit slug wins over `to`. Raises AssistantNotFound or AssistantAmbiguous. Answered from a
    per-process directory of the assistants (rechecked every ENGINE_CACHE_RECHECK_SECONDS); each call
    gets its own copy, so a caller's change never leaks into another request.
    """
    directory = _directories.get("assistants")
    if slug:
        assistant = directory.by_slug.get(slug.strip())
        if assistant is None:
            raise AssistantNotFound(f"No existe un asistente con el identificador «{slug}».")
    elif to:
        number = normalise_channel_number(to)
        assistant = directory.by_number.get(number) if number else None
        if assistant is None:
            raise AssistantNotFound(f"Ningún asistente atiende el número «{to}».")
    else:
        assistant = _only_assistant(directory)
    return copy.copy(assistant)


def _only_assistant(directory: "AssistantDirectory") -> Assistant:
    if not directory.by_slug:
        raise AssistantNotFound("Todavía no hay ningún asistente configurado.")
    if len(directory.by_slug) > 1:
        raise AssistantAmbiguous("Hay varios asistentes: indica cuál con «assistant» (p. ej. «kvky») o con «to».")
    return next(iter(directory.by_slug.values()))


@dataclass(frozen=True)
class AssistantDirectory:
    by_slug: dict[str, Assistant]
    by_number: dict[str, Assistant]


def _directory_fingerprint(_key: str) -> tuple[object, ...]:
    stats = Assistant.objects.order_by().aggregate(
        count=Count("id", distinct=True),
        updated=Max("updated_at"),
        top=Max("id"),
        numbers=Count("channel_numbers", distinct=True),
        top_number=Max("channel_numbers__id"),
    )
    return tuple(stats.values())


def _build_directory(_key: str) -> AssistantDirectory:
    assistants = list(Assistant.objects.prefetch_related("channel_numbers"))
    return AssistantDirectory(
        by_slug={assistant.slug: assistant for assistant in assistants},
        by_number={number.number: assistant for assistant in assistants for number in assistant.channel_numbers.all()},
    )


_directories: WatchedCache[str, AssistantDirectory] = WatchedCache(
    fingerprint=_directory_fingerprint, build=_build_directory
)


def invalidate_assistants() -> None:
    """Forget the directory after a write to assistants or channel numbers in this process."""
    _directories.invalidate()


POLL_PAGE_SIZE = 100


def conversation_of_api_key(*, api_key: ApiKey, conversation_id: str) -> Conversation | None:
    """The API conversation `conversation_id` if `api_key` started it; None for anyone else's, or none."""
    return (
        Conversation.objects.select_related("assistant")
        .filter(pk=conversation_id, api_key=api_key, channel=Channel.API)
        .first()
    )


def conversation_messages_since(
    conversation: Conversation, *, since_id: int | None = None, since_time: datetime | None = None
) -> list[Message]:
    """The conversation's messages after a message id or a moment, oldest first, at most POLL_PAGE_SIZE + 1
    (the extra one tells the caller there is more)."""
    messages = conversation.messages.order_by("id")
    if since_id is not None:
        messages = messages.filter(id__gt=since_id)
    if since_time is not None:
        messages = messages.filter(created_at__gt=since_time)
    return list(messages[: POLL_PAGE_SIZE + 1])

