"""Messages we start on WhatsApp, through Twilio's REST API: the bot's replies in async mode and staff replies.

`send_message` stores the message with an idempotency key and queues its delivery; `message_deliver`
(run by a Celery task, with retries) hands it to Twilio at most once: it first claims the message
(pending -> sending, one UPDATE), so a retried or redelivered task finds nothing left to send.
Twilio's status callbacks then move the status on (sent, delivered, read, failed, undelivered).
"""

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

from conversations.channels.whatsapp import WHATSAPP_PREFIX, split_message
from conversations.models import Channel, Conversation, DeliveryStatus, Message, MessageRole

logger = logging.getLogger(__name__)

SESSION_WINDOW = timedelta(hours=24)  # WhatsApp's customer-service window
# Twilio's MessageStatus values we record, and what they become here.
TWILIO_STATUSES = {
    "accepted": DeliveryStatus.QUEUED,
    "queued": DeliveryStatus.QUEUED,
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "failed": DeliveryStatus.FAILED,
    "undelivered": DeliveryStatus.UNDELIVERED,
}
# Callbacks arrive out of order: a status only ever moves forward; failed and undelivered are final.
_PROGRESS = [DeliveryStatus.QUEUED, DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ]
_FINAL = [DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED]


class OutboundRefused(ValueError):
    """The message cannot be sent at all; the text (Spanish) says why, for the person who wrote it."""


class DeliveryPostponed(Exception):
    """Twilio did not take the message this time (it is busy, down or unreachable): try again later."""


class _DeliveryImpossible(Exception):
    """Trying again would not help, or could send the message twice."""


@dataclass(frozen=True)
class _Route:
    from_: str
    to: str
    content_sid: str = ""  # an approved template, outside the 24-hour window

    def parts(self, text: str) -> list[str]:
        return [text] if self.content_sid else split_message(text)

    def params(self, text: str) -> dict[str, str]:
        if self.content_sid:
            variables = json.dumps({"1": text}, ensure_ascii=False)
            return {"from_": self.from_, "to": self.to, "content_sid": self.content_sid, "content_variables": variables}
        return {"from_": self.from_, "to": self.to, "body": text}


def send_message(conversation: Conversation, text: str, *, role: str = MessageRole.STAFF) -> Message:
    """Store a message for the customer and queue its delivery through Twilio; return the stored message.

    More than 24 hours after the customer's last message WhatsApp only takes an approved template:
    the assistant's `whatsapp_template_sid` then carries the text as its variable {{1}}.
    Raises OutboundRefused when the message cannot be sent at all.
    """
    text = text.strip()
    if not text:
        raise OutboundRefused("Escribe el mensaje antes de enviarlo.")
    if conversation.channel != Channel.WHATSAPP:
        raise OutboundRefused("Esta conversación no es de WhatsApp.")
    if not session_window_open(conversation) and not conversation.assistant.whatsapp_template_sid:
        raise OutboundRefused(
            "Pasaron más de 24 horas desde el último mensaje del cliente: WhatsApp solo permite escribirle "
            "con una plantilla aprobada. Configura su ContentSid en el asistente."
        )
    message = Message.objects.create(
        conversation=conversation,
        role=role,
        text=text,
        idempotency_key=new_idempotency_key(),
        delivery_status=DeliveryStatus.PENDING,
    )
    delivery_schedule(message)
    message.refresh_from_db()
    return message


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def delivery_schedule(message: Message) -> None:
    """Queue the delivery once the message is committed (eagerly, in-process, without a broker)."""
    from conversations.tasks import deliver_message, task_enqueue  # the tasks module calls back into this one

    transaction.on_commit(lambda: task_enqueue(deliver_message, message.pk))


def session_window_open(conversation: Conversation) -> bool:
    since = timezone.now() - SESSION_WINDOW
    return Message.objects.filter(conversation=conversation, role=MessageRole.USER, created_at__gte=since).exists()


def message_deliver(message_id: int) -> None:
    """Hand a pending message to Twilio, at most once. Raises DeliveryPostponed when a later try may work."""
    claimed = Message.objects.filter(pk=message_id, delivery_status=DeliveryStatus.PENDING).update(
        delivery_status=DeliveryStatus.SENDING
    )
    if not claimed:
        logger.info("WhatsApp message %s is not pending: nothing to send.", message_id)
        return
    message = Message.objects.select_related("conversation__assistant").get(pk=message_id)
    try:
        _send_parts(message)
    except DeliveryPostponed:
        Message.objects.filter(pk=message_id, delivery_status=DeliveryStatus.SENDING).update(
            delivery_status=DeliveryStatus.PENDING
        )
        raise
    except _DeliveryImpossible as error:
        logger.warning("WhatsApp message %s not sent: %s", message_id, error)
        Message.objects.filter(pk=message_id).update(
            delivery_status=DeliveryStatus.FAILED, delivery_error=str(error)[:200]
        )
        return
    Message.objects.filter(pk=message_id, delivery_status=DeliveryStatus.SENDING).update(
        delivery_status=DeliveryStatus.QUEUED, delivery_error=""
    )


def delivery_give_up(message_id: int, reason: str) -> None:
    """The retries ran out: the message stays unsent, and says why."""
    Message.objects.filter(pk=message_id, delivery_status=DeliveryStatus.PENDING).update(
        delivery_status=DeliveryStatus.FAILED, delivery_error=reason[:200]
    )


def _send_parts(message: Message) -> None:
    route = _route(message)
    parts = route.parts(message.text)
    client = twilio_client()
    callback = status_callback_url(message.idempotency_key)
    # A retry after a failure half-way resumes after the parts Twilio already took.
    for index in range(message.delivery_parts_sent, len(parts)):
        sid = _create(client, route.params(parts[index]), callback)
        Message.objects.filter(pk=message.pk).update(delivery_parts_sent=index + 1)
        Message.objects.filter(pk=message.pk, external_id__isnull=True).update(external_id=sid)


def _route(message: Message) -> _Route:
    if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
        raise _DeliveryImpossible("Twilio no está configurado (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN).")
    conversation = message.conversation
    from_number = _channel_number(conversation)
    if not from_number:
        raise _DeliveryImpossible("El asistente no tiene un número de WhatsApp.")
    route = _Route(from_=WHATSAPP_PREFIX + from_number, to=WHATSAPP_PREFIX + conversation.sender)
    if session_window_open(conversation):
        return route
    template = conversation.assistant.whatsapp_template_sid
    if not template:
        raise _DeliveryImpossible("Fuera de la ventana de 24 horas y sin plantilla aprobada.")
    return _Route(from_=route.from_, to=route.to, content_sid=template)


def _channel_number(conversation: Conversation) -> str:
    """The number the customer last wrote to; else the assistant's first number."""
    recent = Message.objects.filter(conversation=conversation, role=MessageRole.USER).order_by("-created_at", "-id")
    for payload in recent.values_list("payload", flat=True)[:20]:
        if isinstance(payload, dict) and payload.get("to"):
            return payload["to"]
    first = conversation.assistant.channel_numbers.order_by("id").first()
    return first.number if first else ""


def _create(client: Client, params: dict[str, str], status_callback: str | None) -> str:
    try:
        created = client.messages.create(**params, status_callback=status_callback)
    except TwilioRestException as error:
        if error.status == 429 or error.status >= 500:
            raise DeliveryPostponed(f"Twilio respondió {error.status}: {error.msg}") from error
        raise _DeliveryImpossible(f"Twilio rechazó el mensaje ({error.code or error.status}): {error.msg}") from error
    except requests.RequestException as error:
        if _never_reached_twilio(error):
            raise DeliveryPostponed(f"No se pudo conectar con Twilio: {error}") from error
        # Twilio may have taken it: trying again could send it twice.
        raise _DeliveryImpossible("Twilio no confirmó el envío; no se reintenta para no enviarlo dos veces.") from error
    return created.sid


def _never_reached_twilio(error: requests.RequestException) -> bool:
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(error, requests.ConnectionError) and isinstance(reason, NewConnectionError)


def twilio_client() -> Client:
    client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=_http_client())
    client.api.base_url = settings.TWILIO_API_BASE_URL.rstrip("/")
    return client


def _http_client() -> HttpClient:
    factory = settings.TWILIO_HTTP_CLIENT
    if not factory:
        return TwilioHttpClient(timeout=settings.TWILIO_HTTP_TIMEOUT)
    return (import_string(factory) if isinstance(factory, str) else factory)()


def status_callback_url(key: str | None, *, base: str = "") -> str | None:
    """Where Twilio reports the message's delivery; the key finds the message even before its SID is stored.

    PUBLIC_BASE_URL wins over `base` (the address a request came in on); a worker only has the former.
    """
    base = (settings.PUBLIC_BASE_URL or base).rstrip("/")
    if not (base and key):
        return None
    return f"{base}{reverse('whatsapp-status')}?{urlencode({'key': key})}"


def delivery_status_record(*, key: str, message_sid: str, status: str, error_code: str = "") -> bool:
    """Record a status callback on the message it names; True when the status moved forward."""
    new_status = TWILIO_STATUSES.get(status.strip().lower())
    if new_status is None:  # sending, scheduled, receiving…: nothing a person needs to see
        return False
    messages = Message.objects.filter(idempotency_key=key) if key else Message.objects.filter(external_id=message_sid)
    if not messages.exists():
        logger.info("Status %s for an unknown WhatsApp message (key=%r, sid=%r).", status, key, message_sid)
        return False
    if message_sid:
        messages.filter(external_id__isnull=True).update(external_id=message_sid)
    earlier = _PROGRESS if new_status in _FINAL else _PROGRESS[: _PROGRESS.index(new_status)]
    changes = {"delivery_status": new_status}
    if error_code:
        changes["delivery_error"] = f"Twilio {error_code}"[:200]
    return messages.filter(delivery_status__in=earlier).update(**changes) > 0
