"""What happens to a customer's WhatsApp message: route it, store it once, and answer it (or not).

In sync mode the answer goes back in the webhook's TwiML; in async mode every answer goes out through
`send_message` (Twilio's REST API) and the webhook's TwiML stays empty.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from conversations.channels.outbound import delivery_schedule, new_idempotency_key, send_message
from conversations.channels.ratelimit import RateVerdict, whatsapp_rate_check
from conversations.channels.whatsapp import InboundWhatsApp
from conversations.models import Assistant, Channel, Conversation, DeliveryStatus, Message, MessageRole
from conversations.selectors import AssistantResolutionError, assistant_resolve
from conversations.services import DuplicateMessage, conversation_get_or_create, message_store_inbound, turn_reply

logger = logging.getLogger(__name__)

UNKNOWN_NUMBER_REPLY = (
    "¡Hola! Este número todavía no tiene un asistente configurado. Por favor intenta más tarde, una disculpa."
)
TEXT_ONLY_REPLY = "¡Gracias por tu mensaje! Una disculpa, solo puedo leer texto por ahora. ¿Me lo escribes, por favor?"
RATE_LIMITED_REPLY = "Estoy recibiendo muchos mensajes tuyos muy seguido. Dame un minuto y con gusto te sigo ayudando."
# The bot's notices are stored with these intents, so the transcript says why the bot answered that way.
NOTICE_TEXT_ONLY = "text_only"
NOTICE_RATE_LIMITED = "rate_limited"


@dataclass(frozen=True)
class WebhookAnswer:
    """What the webhook's TwiML says: a reply (empty for silence) and the key its status callbacks carry."""

    reply: str = ""
    reply_key: str | None = None


SILENCE = WebhookAnswer()


def whatsapp_receive(inbound: InboundWhatsApp) -> WebhookAnswer:
    """Store the customer's message once and answer it, by TwiML or (async mode) through the REST API."""
    assistant = _assistant_for(inbound.to)
    if assistant is None:
        logger.warning("WhatsApp message %s to %r, a number no assistant answers.", inbound.message_sid, inbound.to)
        return WebhookAnswer(UNKNOWN_NUMBER_REPLY)
    conversation = conversation_get_or_create(
        assistant=assistant, channel=Channel.WHATSAPP, sender=inbound.sender, profile_name=inbound.profile_name
    )
    try:
        message = message_store_inbound(conversation=conversation, text=inbound.body, external_id=inbound.message_sid)
    except DuplicateMessage:
        logger.info("WhatsApp message %s delivered again: already stored, not answered again.", inbound.message_sid)
        return SILENCE
    Message.objects.filter(pk=message.pk).update(payload=inbound.payload())
    # Also for the messages the bot will not answer: the back office lists conversations by it.
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=timezone.now())
    verdict = whatsapp_rate_check(inbound.sender)
    if verdict is RateVerdict.SILENT or (conversation.handoff and _is_notice_case(inbound, verdict)):
        return SILENCE  # a burst's excess, or a person has the conversation: stored, not answered
    if verdict is RateVerdict.NOTIFY:
        return _notice(conversation, RATE_LIMITED_REPLY, intent=NOTICE_RATE_LIMITED)
    if not inbound.has_text:
        return _notice(conversation, TEXT_ONLY_REPLY, intent=NOTICE_TEXT_ONLY)
    if reply_mode_is_async():
        transaction.on_commit(lambda: _queue_reply(message.pk))
        return SILENCE
    return _reply_now(conversation, message)


def reply_mode_is_async() -> bool:
    return settings.REPLY_MODE.strip().lower() == "async"


def inbound_reply(message_id: int) -> Message | None:
    """Async mode, in the worker: answer a stored customer message and queue the reply's delivery.

    Runs any number of times for the same message and still produces one reply and one delivery.
    """
    inbound = Message.objects.select_related("conversation__assistant").get(pk=message_id, role=MessageRole.USER)
    key = reply_key(inbound)
    try:
        turn_reply(conversation=inbound.conversation, inbound=inbound, reply_key=key)
    except IntegrityError:
        if not Message.objects.filter(idempotency_key=key).exists():
            raise
        logger.info("Message %s already has its reply (a retried task): delivering that one.", message_id)
    reply = Message.objects.filter(idempotency_key=key).first()
    if reply is None or not reply.text:  # a person has the conversation: the bot stays silent
        return None
    if Message.objects.filter(pk=reply.pk, delivery_status="").update(delivery_status=DeliveryStatus.PENDING):
        delivery_schedule(reply)
    return reply


def reply_key(inbound: Message) -> str:
    """The idempotency key of the bot's reply to a customer message: one reply per message."""
    return f"reply-{inbound.pk}"


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
    result = turn_reply(conversation=conversation, inbound=inbound, reply_key=key)
    if not result.reply:
        return SILENCE
    # Handed to Twilio in the TwiML; its status callbacks (keyed by `key`) take it from here.
    Message.objects.filter(idempotency_key=key).update(delivery_status=DeliveryStatus.QUEUED)
    return WebhookAnswer(result.reply, key)


def _notice(conversation: Conversation, text: str, *, intent: str) -> WebhookAnswer:
    """A fixed answer that needs no understanding: in the TwiML, or sent by the worker in async mode."""
    if reply_mode_is_async():
        message = send_message(conversation, text, role=MessageRole.BOT)
        Message.objects.filter(pk=message.pk).update(intent=intent)
        return SILENCE
    message = Message.objects.create(
        conversation=conversation,
        role=MessageRole.BOT,
        text=text,
        intent=intent,
        idempotency_key=new_idempotency_key(),
        delivery_status=DeliveryStatus.QUEUED,
    )
    return WebhookAnswer(text, message.idempotency_key)


def _queue_reply(message_id: int) -> None:
    from conversations.tasks import reply_to_inbound, task_enqueue  # the tasks module calls back into this one

    task_enqueue(reply_to_inbound, message_id)
