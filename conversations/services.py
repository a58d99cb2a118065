"""Writes of the conversations app. `handle_turn` is the one entry point every channel calls."""

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from catalog.vocabulary import get_vocabulary
from conversations.engine.dialogue import PendingWrites, TurnContext, decide
from conversations.engine.faq_index import get_faq_index, invalidate_faq_index
from conversations.engine.llm.turn import prepare_llm_turn
from conversations.engine.result import TurnResult
from conversations.models import (
    FAQ,
    ApiKey,
    Assistant,
    Channel,
    Conversation,
    ConversationNote,
    Message,
    MessageRole,
    WebhookEvent,
)
from conversations.webhooks import webhook_event_queue
from kvky_site.metrics import turn_observe
from leads.services import lead_flag_requested_again, lead_record, lead_set_contact
from nlu.names import stated_name
from nlu.pipeline import understand
from nlu.state import DialogueState

logger = logging.getLogger(__name__)


class DuplicateMessage(Exception):
    """The channel delivered a message it had already delivered (same external id)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.external_id)
        self.message = message


class TurnAlreadyStored(Exception):
    """Another request or worker stored this message's turn first: this one's writes roll back."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.pk)
        self.message = message


@dataclass
class StoredTurn:
    conversation: Conversation
    message: Message


def conversation_get_or_create(
    *, assistant: Assistant, channel: str, sender: str, profile_name: str = "", api_key: ApiKey | None = None
) -> Conversation:
    """One conversation per sender and channel; safe when two first messages race. An API conversation
    belongs to the key that started it (its webhook, its polling)."""
    lookup = {"assistant": assistant, "channel": channel, "sender": sender}
    try:
        conversation = Conversation.objects.get(**lookup)
    except Conversation.DoesNotExist:
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(**lookup, profile_name=profile_name[:120], api_key=api_key)
        except IntegrityError:
            conversation = Conversation.objects.get(**lookup)
    if api_key is not None and conversation.api_key_id is None:  # started before keys owned conversations
        Conversation.objects.filter(pk=conversation.pk, api_key__isnull=True).update(api_key=api_key)
        conversation.api_key = api_key
    if profile_name and conversation.profile_name != profile_name[:120]:
        conversation.profile_name = profile_name[:120]
        Conversation.objects.filter(pk=conversation.pk).update(profile_name=conversation.profile_name)
    return conversation


def message_store_inbound(
    *, conversation: Conversation, text: str, external_id: str | None = None, payload: dict | None = None
) -> Message:
    """Store a customer's message, awaiting its reply; a redelivered external id raises DuplicateMessage
    (a DB constraint decides)."""
    try:
        with transaction.atomic():
            return Message.objects.create(
                conversation=conversation,
                role=MessageRole.USER,
                text=text,
                external_id=external_id or None,
                payload=payload or {},
                awaiting_reply=True,
            )
    except IntegrityError:
        existing = Message.objects.filter(external_id=external_id).first() if external_id else None
        if existing is None:
            raise
        raise DuplicateMessage(existing) from None


def message_settle(*, message: Message) -> bool:
    """Mark a customer message as dealt with though no turn ran (a notice, a burst's excess); False when
    another request settled or answered it first."""
    settled = Message.objects.filter(pk=message.pk, awaiting_reply=True).update(awaiting_reply=False)
    message.awaiting_reply = False
    return bool(settled)


def conversation_set_name(conversation: Conversation, name: str) -> None:
    """The name the customer stated: on the conversation, and on its leads that have none or only the
    WhatsApp profile name (a stated name is the better one)."""
    name = name.strip()[:120]
    if not name or name == conversation.customer_name:
        return
    Conversation.objects.filter(pk=conversation.pk).update(customer_name=name)
    conversation.leads.filter(customer_name__in=["", conversation.profile_name, conversation.customer_name]).update(
        customer_name=name, updated_at=timezone.now()
    )
    conversation.customer_name = name


def conversation_handoff(conversation: Conversation, *, at: dt.datetime | None = None) -> None:
    """Flag the conversation for staff: the bot stays silent until they release it. A conversation already
    waiting keeps its handoff time (its waiting time stays true); the API client that started it hears of the
    handoff on its webhook once, when the conversation passes to a person."""
    passed = Conversation.objects.filter(pk=conversation.pk, handoff=False).update(
        handoff=True, handoff_at=at or timezone.now()
    )
    conversation.handoff = True
    if passed:
        webhook_event_queue(conversation, WebhookEvent.HANDOFF)


def conversation_take(conversation: Conversation, user: Any) -> None:
    """A staff member takes the conversation: it is assigned to them and the bot stays silent."""
    with transaction.atomic():
        conversation_handoff(conversation)
        Conversation.objects.filter(pk=conversation.pk).update(assigned_to=user)
    conversation.assigned_to = user


def conversation_release(conversation: Conversation) -> None:
    """Staff hand the conversation back to the bot; nobody holds it any more."""
    Conversation.objects.filter(pk=conversation.pk).update(handoff=False, assigned_to=None)
    conversation.handoff = False
    conversation.assigned_to = None


class EmptyNote(ValueError):
    """An internal note with no text."""


def conversation_note_add(conversation: Conversation, text: str, user: Any) -> ConversationNote:
    """An internal note for staff: stored beside the transcript, never sent through any channel."""
    text = text.strip()
    if not text:
        raise EmptyNote("Escribe la nota antes de guardarla.")
    return ConversationNote.objects.create(conversation=conversation, author=user, text=text)


def faqs_set_active(faqs: QuerySet[FAQ], *, active: bool) -> int:
    """Enable or disable FAQs; this process's FAQ indexes are rebuilt on their next turn (others recheck)."""
    changed = faqs.exclude(is_active=active).update(is_active=active, updated_at=timezone.now())
    invalidate_faq_index()
    return changed


class EmptyStaffReply(ValueError):
    """A staff reply with no text: nothing to send."""


def staff_reply(conversation: Conversation, text: str, user: Any) -> Message:
    """A person answers the customer through the conversation's own channel.

    Replying takes the conversation: the bot stays silent until staff hand it back (`conversation_release`).
    On WhatsApp the message goes out through `send_message`, which raises OutboundRefused when WhatsApp
    would not take it (e.g. 24 hours after the customer's last message, without an approved template).
    """
    text = text.strip()
    if not text:
        raise EmptyStaffReply("Escribe la respuesta antes de enviarla.")
    staff = {"staff": user.get_username()}
    taken_at = timezone.now()  # a reply that takes the conversation answers it at once (response time 0)
    with transaction.atomic():
        if conversation.channel == Channel.WHATSAPP:
            from conversations.channels.outbound import send_message  # the channels import this module

            message = send_message(conversation, text, role=MessageRole.STAFF)
            message.payload = {**(message.payload or {}), **staff}
            Message.objects.filter(pk=message.pk).update(payload=message.payload)
        else:
            # The API and the web chat read the stored transcript: storing the message is sending it.
            message = Message.objects.create(
                conversation=conversation, role=MessageRole.STAFF, text=text, payload=staff
            )
        if not conversation.handoff:
            conversation_handoff(conversation, at=taken_at)
        webhook_event_queue(conversation, WebhookEvent.STAFF_REPLY, message=message)
        # Whoever answers an unassigned conversation holds it (unless someone took it meanwhile).
        Conversation.objects.filter(pk=conversation.pk, assigned_to__isnull=True).update(assigned_to=user)
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=timezone.now())
    return message


def handle_turn(
    *,
    assistant: Assistant,
    sender: str,
    text: str,
    channel: str,
    external_id: str | None = None,
    profile_name: str = "",
    api_key: ApiKey | None = None,
) -> TurnResult:
    """Store the customer's message, understand it, act, store the reply; return the turn's result."""
    started = time.perf_counter()
    conversation = conversation_get_or_create(
        assistant=assistant, channel=channel, sender=sender, profile_name=profile_name, api_key=api_key
    )
    inbound = message_store_inbound(conversation=conversation, text=text, external_id=external_id)
    return turn_reply(conversation=conversation, inbound=inbound, started=started)


def turn_reply(
    *, conversation: Conversation, inbound: Message, started: float | None = None, reply_key: str | None = None
) -> TurnResult:
    """Understand a stored customer message, act, store the reply; return the turn's result.

    handle_turn calls it right after storing the message; an async channel calls it from a worker.
    The turn's transaction first claims the message (awaiting_reply true -> false): a second request
    or worker on the same message raises TurnAlreadyStored and writes nothing. `reply_key` becomes the
    reply's unique idempotency key, so the reply can be found (and delivered) by it.
    """
    started = time.perf_counter() if started is None else started
    assistant = conversation.assistant
    state = DialogueState.from_json(conversation.state)
    faq_index = get_faq_index(assistant)
    vocabulary = get_vocabulary() if assistant.is_sales else None
    reading = understand(
        inbound.text,
        state=state,
        vocabulary=vocabulary,
        faq_index=faq_index,
        kind=assistant.kind,
    )
    name = stated_name(inbound.text)  # "me llamo Juan Pérez": written with the turn, used by its reply
    if conversation.handoff:
        return _silent_turn(conversation, inbound, reading.intent, reading.slots, name=name)
    ctx = TurnContext(
        assistant=assistant,
        state=state,
        sender=conversation.sender,
        profile_name=name or conversation.display_name,
        conversation=conversation,
        faq_index=faq_index,
        vocabulary_makes=vocabulary.makes if vocabulary else [],
    )
    llm = prepare_llm_turn(reading, ctx)  # the model talks outside the transaction; None without a key
    if llm is None:
        # The rules engine only reads: it answers first, so the transaction (SQLite's one writer at a
        # time) holds the write lock for the writes alone.
        result = decide(reading, ctx)
        with transaction.atomic():
            _store_turn(conversation, inbound, result, ctx, started, reply_key=reply_key, name=name)
    else:
        with transaction.atomic():
            result = llm.finish(lambda: decide(reading, ctx))
            extra = llm.message_fields()
            _store_turn(conversation, inbound, result, ctx, started, reply_key=reply_key, extra=extra, name=name)
    turn_observe(
        result,
        channel=conversation.channel,
        sender=conversation.sender,
        latency_seconds=time.perf_counter() - started,
    )
    return result


def pending_writes_apply(writes: PendingWrites, result: TurnResult, state: DialogueState) -> None:
    """Write what the turn decided (a lead, a phone for one); run inside the turn's transaction."""
    draft = writes.lead
    if draft is not None:
        lead = lead_record(draft)
        if lead.folio != draft.folio:  # the drawn folio was taken meanwhile: quote the one written
            result.reply = result.reply.replace(draft.folio, lead.folio)
            result.lead = {"folio": lead.folio}
            if state.lead_waiting_phone == draft.folio:
                state.lead_waiting_phone = lead.folio
    if writes.lead_contact is not None:
        folio, phone = writes.lead_contact
        lead_set_contact(folio, phone=phone)
    if writes.lead_requested_again is not None:
        lead_flag_requested_again(writes.lead_requested_again)


def _store_turn(
    conversation: Conversation,
    inbound: Message,
    result: TurnResult,
    ctx: TurnContext,
    started: float,
    *,
    reply_key: str | None = None,
    extra: dict[str, Any] | None = None,
    name: str | None = None,
) -> None:
    _claim_inbound(inbound, result.intent, result.slots)
    if name:
        conversation_set_name(conversation, name)
    pending_writes_apply(ctx.writes, result, ctx.state)
    if result.handoff:
        conversation_handoff(conversation)
    _store_reply(conversation, inbound, result, ctx.state, started, reply_key=reply_key, extra=extra)


def _store_reply(
    conversation: Conversation,
    inbound: Message,
    result: TurnResult,
    state: DialogueState,
    started: float,
    *,
    reply_key: str | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    payload = result.as_dict()
    Message.objects.create(
        conversation=conversation,
        role=MessageRole.BOT,
        text=result.reply,
        intent=result.intent,
        slots=result.slots,
        payload=payload,
        latency_ms=round((time.perf_counter() - started) * 1000, 2),
        idempotency_key=reply_key,
        **(extra or {}),
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        state=state.to_json(),
        turns=F("turns") + 1,
        last_message_at=timezone.now(),
        csat_score=state.csat_score,
        nps_score=state.nps_score,
    )


def _silent_turn(
    conversation: Conversation, inbound: Message, intent: str, slots: dict, *, name: str | None = None
) -> TurnResult:
    """A human has the conversation: store, stay silent."""
    result = TurnResult(
        reply="",
        intent=intent,
        slots=slots,
        handoff=True,
        conversation=str(conversation.pk),
        assistant=conversation.assistant.slug,
    )
    with transaction.atomic():
        _claim_inbound(inbound, intent, slots)
        if name:
            conversation_set_name(conversation, name)
        Conversation.objects.filter(pk=conversation.pk).update(turns=F("turns") + 1, last_message_at=timezone.now())
    return result


def _claim_inbound(inbound: Message, intent: str, slots: dict) -> None:
    """Mark the message answered with what was read of it; raise TurnAlreadyStored if another turn did first.

    The first write of the turn's transaction: a concurrent turn on the same message waits on this row
    and then finds nothing to claim, before it has written anything.
    """
    claimed = Message.objects.filter(pk=inbound.pk, awaiting_reply=True).update(
        intent=intent, slots=slots, awaiting_reply=False
    )
    if not claimed:
        raise TurnAlreadyStored(inbound)
    inbound.awaiting_reply = False
