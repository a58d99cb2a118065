"""Twilio's WhatsApp edge: its webhook's fields, its signature, TwiML, and WhatsApp's 1,600-character limit."""

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest, QueryDict
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from conversations.models import normalise_channel_number

logger = logging.getLogger(__name__)

WHATSAPP_PREFIX = "whatsapp:"
SIGNATURE_HEADER = "X-Twilio-Signature"
SENDER_MAX_CHARS = 64  # Conversation.sender
# WhatsApp lets a customer write up to 4,096 characters; nothing longer is a real message.
INBOUND_MAX_CHARS = 4096
MEDIA_MAX_ITEMS = 10

# Boundaries to split a long reply at, best first: cut after a paragraph, a line, a sentence, a word.
_BOUNDARIES = (
    re.compile(r"(?=\n[ \t]*\n)"),
    re.compile(r"(?=\n)"),
    re.compile(r"(?<=[.!?…])(?=\s)|(?<=[.!?…][\"»)])(?=\s)"),
    re.compile(r"(?=\s)"),
)


# Control characters have no place in a WhatsApp field: XML 1.0 (TwiML) cannot carry them and PostgreSQL refuses
# NUL in text. A message body keeps its tabs and line breaks; one-line fields (From, ProfileName, …) keep none.
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f]")


def webhook_field(post: QueryDict, name: str) -> str:
    """A one-line field of Twilio's webhook, without control characters or surrounding spaces."""
    return _CONTROL_IN_LINE.sub("", post.get(name, "")).strip()


def webhook_text(post: QueryDict, name: str) -> str:
    """A free-text field (the message body): line breaks and tabs stay, other control characters go."""
    return _CONTROL_IN_TEXT.sub("", post.get(name, ""))


class InvalidWebhook(ValueError):
    """A signed request that is not a WhatsApp message webhook (no sender or no MessageSid)."""


@dataclass(frozen=True)
class Media:
    url: str
    content_type: str


@dataclass(frozen=True)
class InboundWhatsApp:
    """One message a customer sent, as Twilio's webhook describes it."""

    message_sid: str
    sender: str  # "+5215512345678": From without its "whatsapp:" prefix
    to: str  # the channel number the customer wrote to, as Twilio sent it
    body: str
    profile_name: str = ""
    wa_id: str = ""
    media: tuple[Media, ...] = field(default_factory=tuple)

    @classmethod
    def from_post(cls, post: QueryDict) -> "InboundWhatsApp":
        sender = webhook_field(post, "From").removeprefix(WHATSAPP_PREFIX).strip()
        message_sid = webhook_field(post, "MessageSid") or webhook_field(post, "SmsMessageSid")
        if not sender or not message_sid:
            raise InvalidWebhook("Twilio's webhook always carries From and MessageSid.")
        if len(sender) > SENDER_MAX_CHARS or len(message_sid) > 64:
            raise InvalidWebhook("From or MessageSid is longer than any Twilio sends.")
        return cls(
            message_sid=message_sid,
            sender=sender,
            to=webhook_field(post, "To"),
            body=webhook_text(post, "Body")[:INBOUND_MAX_CHARS],
            profile_name=webhook_field(post, "ProfileName"),
            wa_id=webhook_field(post, "WaId"),
            media=_media(post),
        )

    @property
    def has_text(self) -> bool:
        return bool(self.body.strip())

    def payload(self) -> dict[str, Any]:
        """What is worth keeping beside the text: the number written to, WhatsApp's id and any media."""
        payload: dict[str, Any] = {"to": normalise_channel_number(self.to)}
        if self.wa_id:
            payload["wa_id"] = self.wa_id
        if self.media:
            payload["media"] = [{"url": item.url, "content_type": item.content_type} for item in self.media]
        return payload


def _media(post: QueryDict) -> tuple[Media, ...]:
    try:
        count = min(int(webhook_field(post, "NumMedia") or 0), MEDIA_MAX_ITEMS)
    except ValueError:
        count = 0
    return tuple(
        Media(url=webhook_field(post, f"MediaUrl{index}"), content_type=webhook_field(post, f"MediaContentType{index}"))
        for index in range(max(count, 0))
    )


def request_url(request: HttpRequest) -> str:
    """The URL Twilio requested, which its signature covers.

    Behind a TLS-terminating proxy Django sees another scheme and host: PUBLIC_BASE_URL names the
    public one; without it, SECURE_PROXY_SSL_HEADER (and USE_X_FORWARDED_HOST) let Django rebuild it.
    """
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL + request.get_full_path()
    return request.build_absolute_uri()


def signature_is_valid(request: HttpRequest) -> bool:
    """True when X-Twilio-Signature verifies over the exact URL and every posted parameter."""
    if not settings.TWILIO_VALIDATE_SIGNATURE:
        return True
    signature = request.headers.get(SIGNATURE_HEADER, "")
    token = settings.TWILIO_AUTH_TOKEN
    if not signature or not token:
        if not token:
            logger.error("TWILIO_AUTH_TOKEN is not set: every WhatsApp webhook is refused.")
        return False
    return RequestValidator(token).validate(request_url(request), request.POST, signature)


def split_message(text: str, limit: int | None = None) -> list[str]:
    """Split a reply into WhatsApp messages of at most `limit` characters, at the best boundary in each."""
    limit = limit or settings.MESSAGE_MAX_CHARS
    parts = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut_position(rest, limit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _cut_position(text: str, limit: int) -> int:
    window = text[: limit + 1]
    for boundary in _BOUNDARIES:
        # A boundary in the first half would leave a stub of a message: try a finer one instead.
        positions = [match.start() for match in boundary.finditer(window) if limit // 2 <= match.start() <= limit]
        if positions:
            return positions[-1]
    return limit


def twiml(reply: str, *, status_callback: str | None = None) -> str:
    """The TwiML answer: one <Message> per part of the reply, or an empty <Response/> for silence."""
    response = MessagingResponse()
    for part in split_message(reply):
        response.message(part, action=status_callback)
    return str(response)
