"""What happens to a customer's WhatsApp message: route it, store it once, and answer it (or not).

In sync mode the answer goes back in the webhook's TwiML; in async mode every answer goes out through
`send_message` (Twilio's REST API) and the webhook's TwiML stays empty.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from conversations.channels.outbound import delivery_schedule, send_message
from conversations.channels.ratelimit import RateVerdict, whatsapp_rate_check
from conversations.channels.whatsapp import InboundWhatsApp
from conversations.models import Assistant, Channel, Conversation, DeliveryStatus, Message, MessageRole
from conversations.privacy import message_is_forgotten
from conversations.selectors import AssistantResolutionError, assistant_resolve
from conversations.services import (
    DuplicateMessage,
    TurnAlreadyStored,
    conversation_get_or_create,
    message_settle,
    message_store_inbound,
    turn_reply,
)

logger = logging.getLogger(__name__)

UNKNOWN_NUMBER_REPLY = (
    "¡Hola! Este número todavía no tiene un asistente configurado. Por favor intenta más tarde, una disculpa."
)
TEXT_ONLY_REPLY = "¡Gracias por tu mensaje! Una disculpa, solo puedo leer texto por ahora. ¿Me lo escribes, por favor?"
RATE_LIMITED_REPLY = "Estoy recibiendo muchos mensajes tuyos muy seguido. Dame un minuto y con gusto te sigo ayudando."
# The bot's notices are stored with these intents, so the transcript says why the bot answered that way.
NOTICE_TEXT_ONLY = "text_only"
NOTICE_RATE_LIMITED = "rate_limited"
REPLY_PREFIX = "reply-"  # the idempotency key of the bot's answer to a customer message: reply-<message id>


@dataclass(frozen=True)
class WebhookAnswer:
    """What the webhook's TwiML says: a reply (empty for silence) and the key its status callbacks carry."""

    reply: str = ""
    reply_key: str | None = None


SILENCE = WebhookAnswer()


def whatsapp_receive(inbound: InboundWhatsApp) -> WebhookAnswer:
    """Store the customer's message once and answer it, by TwiML or (async mode) through the REST API.

    Whatever fails after the message is stored leaves it awaiting its reply: the webhook then answers
    5xx, and Twilio's redelivery (or `inbound_sweep`) answers it, once.
    """
    if message_is_forgotten(inbound.message_sid):  # a replayed webhook must not bring a forgotten customer back
        return SILENCE
    assistant = _assistant_for(inbound.to)
    if assistant is None:
        logger.warning("WhatsApp message %s to %r, a number no assistant answers.", inbound.message_sid, inbound.to)
        return WebhookAnswer(UNKNOWN_NUMBER_REPLY)
    conversation = conversation_get_or_create(
        assistant=assistant, channel=Channel.WHATSAPP, sender=inbound.sender, profile_name=inbound.profile_name
    )
    try:
        message = message_store_inbound(
            conversation=conversation, text=inbound.body, external_id=inbound.message_sid, payload=inbound.payload()
        )
    except DuplicateMessage as duplicate:
        return _redelivered(conversation, duplicate.message, inbound)
    # Also for the messages the bot will not answer: the back office lists conversations by it.
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=timezone.now())
    return _respond(conversation, message, inbound, verdict=whatsapp_rate_check(inbound.sender))


def reply_mode_is_async() -> bool:
    return settings.REPLY_MODE.strip().lower() == "async"


def inbound_reply(message_id: int) -> Message | None:
    """Answer a stored customer message through the REST API and queue the reply's delivery (the worker in
    async mode; the sweep in either mode).

    Runs any number of times for the same message and still produces one reply and one delivery.
    """
    inbound = Message.objects.select_related("conversation__assistant").get(pk=message_id, role=MessageRole.USER)
    key = reply_key(inbound)
    if inbound.awaiting_reply:
        try:
            turn_reply(conversation=inbound.conversation, inbound=inbound, reply_key=key)
        except TurnAlreadyStored:
            logger.info("Message %s already has its turn (a retried task): delivering that reply.", message_id)
    reply = Message.objects.filter(idempotency_key=key).first()
    if reply is None or not reply.text:  # a person has the conversation: the bot stays silent
        return None
    if Message.objects.filter(pk=reply.pk, delivery_status="").update(delivery_status=DeliveryStatus.PENDING):
        delivery_schedule(reply)
    return reply


def inbound_sweep(*, grace: timedelta, max_age: timedelta) -> int:
    """Answer what a failure left unanswered: WhatsApp messages stored but never answered, and replies stored
    but never handed to Twilio, older than `grace` (time for the normal path) and younger than `max_age`.

    Returns how many were taken up again; each goes through `inbound_reply`, so none is answered twice.
    """
    now = timezone.now()
    recent = {"created_at__lte": now - grace, "created_at__gte": now - max_age}
    whatsapp = Message.objects.filter(conversation__channel=Channel.WHATSAPP, **recent)
    unanswered = whatsapp.filter(role=MessageRole.USER, awaiting_reply=True).values_list("pk", flat=True)
    undelivered = whatsapp.filter(role=MessageRole.BOT, delivery_status="", idempotency_key__startswith=REPLY_PREFIX)
    undelivered_keys = undelivered.values_list("idempotency_key", flat=True)
    message_ids = sorted({*unanswered, *(_inbound_id(key) for key in undelivered_keys)})
    for message_id in message_ids:
        logger.warning("WhatsApp message %s was left unanswered: answering it now.", message_id)
        _queue_reply(message_id)
    return len(message_ids)


def inbound_sweep_from_settings() -> int:
    """The sweep with the operator's grace and max age (WHATSAPP_SWEEP_*)."""
    return inbound_sweep(
        grace=timedelta(seconds=settings.WHATSAPP_SWEEP_GRACE_SECONDS),
        max_age=timedelta(seconds=settings.WHATSAPP_SWEEP_MAX_AGE_SECONDS),
    )


def reply_key(inbound: Message) -> str:
    """The idempotency key of the bot's reply to a customer message: one reply per message."""
    return f"{REPLY_PREFIX}{inbound.pk}"


def _inbound_id(key: str) -> int:
    return int(key.removeprefix(REPLY_PREFIX))


def _respond(conversation: Conversation, message: Message, inbound: InboundWhatsApp, *, verdict: RateVerdict):
    if verdict is RateVerdict.SILENT or (conversation.handoff and _is_notice_case(inbound, verdict)):
        message_settle(message=message)  # a burst's excess, or a person has the conversation: not answered
        return SILENCE
    if verdict is RateVerdict.NOTIFY:
        return _notice(conversation, message, RATE_LIMITED_REPLY, intent=NOTICE_RATE_LIMITED)
    if not inbound.has_text:
        return _notice(conversation, message, TEXT_ONLY_REPLY, intent=NOTICE_TEXT_ONLY)
    if reply_mode_is_async():
        transaction.on_commit(lambda: _queue_reply(message.pk))
        return SILENCE
    return _reply_now(conversation, message)


def _redelivered(conversation: Conversation, message: Message, inbound: InboundWhatsApp) -> WebhookAnswer:
    """Twilio delivered a stored message again: silence if it was answered, else answer it now (once)."""
    if message.awaiting_reply:
        logger.info("WhatsApp message %s delivered again, never answered: answering it.", inbound.message_sid)
        return _respond(conversation, message, inbound, verdict=RateVerdict.ALLOWED)  # counted the first time
    if reply_mode_is_async():
        if Message.objects.filter(idempotency_key=reply_key(message), delivery_status="").exists():
            transaction.on_commit(lambda: _queue_reply(message.pk))  # the reply was stored, never queued
        return SILENCE
    return _stored_reply(message)


def _stored_reply(message: Message) -> WebhookAnswer:
    """The reply a failure kept from the webhook's answer (stored, never handed to Twilio), once; else silence."""
    key = reply_key(message)
    reply = Message.objects.filter(idempotency_key=key, delivery_status="").exclude(text="").first()
    if reply is None or not Message.objects.filter(pk=reply.pk, delivery_status="").update(
        delivery_status=DeliveryStatus.QUEUED
    ):
        logger.info("WhatsApp message %s delivered again: already answered, not answered again.", message.external_id)
        return SILENCE
    return WebhookAnswer(reply.text, key)


def _is_notice_case(inbound: InboundWhatsApp, verdict: RateVerdict) -> bool:
    return verdict is RateVerdict.NOTIFY or not inbound.has_text


def _assistant_for(to: str) -> Assistant | None:
    if not to:
        return None
    try:
        return assistant_resolve(slug=None, to=to)
    except AssistantResolutionError:
        return None


def _reply_now(conversation: Conversation, inbound: Message) -> WebhookAnswer:
    key = reply_key(inbound)
    try:
        result = turn_reply(conversation=conversation, inbound=inbound, reply_key=key)
    except TurnAlreadyStored:  # a redelivery answered it meanwhile, in another request
        return SILENCE
    if not result.reply:
        return SILENCE
    # Handed to Twilio in the TwiML; its status callbacks (keyed by `key`) take it from here. The hand-off is
    # claimed like a redelivery claims a stored reply (_stored_reply): of two requests, one sends it.
    if not Message.objects.filter(idempotency_key=key, delivery_status="").update(
        delivery_status=DeliveryStatus.QUEUED
    ):
        return SILENCE
    return WebhookAnswer(result.reply, key)


def _notice(conversation: Conversation, inbound: Message, text: str, *, intent: str) -> WebhookAnswer:
    """A fixed answer that needs no understanding: in the TwiML, or sent by the worker in async mode."""
    with transaction.atomic():
        if not message_settle(message=inbound):
            return SILENCE  # a concurrent redelivery answered it
        if reply_mode_is_async():
            message = send_message(conversation, text, role=MessageRole.BOT)
            Message.objects.filter(pk=message.pk).update(intent=intent)
            return SILENCE
        message = Message.objects.create(
            conversation=conversation,
            role=MessageRole.BOT,
            text=text,
            intent=intent,
            idempotency_key=reply_key(inbound),
            delivery_status=DeliveryStatus.QUEUED,
        )
    return WebhookAnswer(text, message.idempotency_key)


def _queue_reply(message_id: int) -> None:
    from conversations.tasks import reply_to_inbound, task_enqueue  # the tasks module calls back into this one

    task_enqueue(reply_to_inbound, message_id)
