"""Reads for the conversations app."""

from django.db.models import QuerySet

from conversations.models import Assistant, ChannelNumber, normalise_channel_number


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

    An explicit slug wins over `to`. Raises AssistantNotFound or AssistantAmbiguous.
    """
    if slug:
        return _assistant_by_slug(slug)
    if to:
        return _assistant_by_number(to)
    return _only_assistant()


def _assistant_by_slug(slug: str) -> Assistant:
    assistant = Assistant.objects.filter(slug=slug.strip()).first()
    if assistant is None:
        raise AssistantNotFound(f"No existe un asistente con el identificador «{slug}».")
    return assistant


def _assistant_by_number(to: str) -> Assistant:
    number = normalise_channel_number(to)
    channel_number = ChannelNumber.objects.select_related("assistant").filter(number=number).first() if number else None
    if channel_number is None:
        raise AssistantNotFound(f"Ningún asistente atiende el número «{to}».")
    return channel_number.assistant


def _only_assistant() -> Assistant:
    assistants = list(Assistant.objects.all()[:2])
    if not assistants:
        raise AssistantNotFound("Todavía no hay ningún asistente configurado.")
    if len(assistants) > 1:
        raise AssistantAmbiguous("Hay varios asistentes: indica cuál con «assistant» (p. ej. «kvky») o con «to».")
    return assistants[0]
