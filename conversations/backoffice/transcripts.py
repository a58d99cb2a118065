"""Reads for the transcript pages: a conversation's messages as chat turns, with what staff need to see
of each one (the intent and slots the engine read, what the bot did)."""

import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from conversations.engine.dialogue import REPLY_VEHICLES
from conversations.models import Conversation, ConversationNote, Message, MessageRole, intent_label, slot_label
from leads.models import Lead


@dataclass(frozen=True)
class TranscriptEntry:
    message: Message
    author: str
    slots: list[tuple[str, str]] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # what the bot did on this turn, in words

    @property
    def role(self) -> str:
        return self.message.role

    @property
    def intent_label(self) -> str:
        return intent_label(self.message.intent)


@dataclass(frozen=True)
class NoteEntry:
    """A staff member's internal note among the chat turns (never sent to the customer)."""

    message: ConversationNote
    author: str
    role: str = "note"


def slot_text(value: Any) -> str:
    """A slot value as staff read it: lists joined, booleans in words."""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(slot_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _bot_actions(payload: dict[str, Any]) -> list[str]:
    actions = []
    if payload.get("vehicles"):
        # The reply lists the first REPLY_VEHICLES cards: that is what the customer saw, whatever matched.
        seen = payload["vehicles"][:REPLY_VEHICLES]
        shown = ", ".join(str(card.get("stock_id", "")) for card in seen)
        total = max(payload.get("vehicles_total") or 0, len(payload["vehicles"]))
        matched = f" de {_count(total, 'que coincide', 'que coinciden')}" if total > len(seen) else ""
        actions.append(f"mostró {_count(len(seen), 'auto', 'autos')}{matched} ({shown})")
    if payload.get("alternatives"):
        actions.append(f"ofreció {_count(len(payload['alternatives']), 'alternativa', 'alternativas')}")
    if payload.get("financing"):
        terms = ", ".join(f"{plan.get('term_months')} meses" for plan in payload["financing"])
        actions.append(f"calculó {_count(len(payload['financing']), 'plan', 'planes')} ({terms})")
    if payload.get("faq"):
        actions.append(f"respondió la pregunta frecuente «{payload['faq'].get('question', '')}»")
    if payload.get("lead"):
        actions.append(f"registró el prospecto {payload['lead'].get('folio', '')}")
    if payload.get("handoff"):
        actions.append("pasó la conversación a una persona")
    return actions


def _delivery(message: Message) -> list[str]:
    """How an outbound WhatsApp message fared, and whether the language model wrote it."""
    notes = []
    if message.delivery_status:
        error = f": {message.delivery_error}" if message.delivery_error else ""
        notes.append(f"entrega: {message.get_delivery_status_display().lower()}{error}")
    return notes + _webhook_deliveries(message) + _model_usage(message)


def _webhook_deliveries(message: Message) -> list[str]:
    """How the API client's webhook took this message (staff replies on a conversation started over the API)."""
    notes = []
    for delivery in message.webhook_deliveries.all():
        tries = _count(delivery.attempts, "intento", "intentos")
        error = f", {delivery.last_error}" if delivery.last_error and delivery.status != "delivered" else ""
        notes.append(f"webhook: {delivery.get_status_display().lower()} ({tries}{error})")
    return notes


def _model_usage(message: Message) -> list[str]:
    """The language model's part in a reply: who wrote it, tokens, latency, and any fallback or guard event."""
    if not (message.llm_model or message.llm_calls):
        return []
    notes = [
        f"modelo {message.llm_model or '—'}: {message.llm_calls} llamada(s), "
        f"{message.llm_prompt_tokens} + {message.llm_completion_tokens} tokens"
        + (f", {message.llm_latency_ms:.0f} ms" if message.llm_latency_ms is not None else "")
    ]
    if message.llm_fallback:
        notes.append(f"respondió el motor de reglas ({message.llm_fallback})")
    notes += [f"guardia: {event.get('check')} «{event.get('value')}»" for event in message.grounding_events or []]
    return notes


def _author(message: Message, conversation: Conversation) -> str:
    if message.role == MessageRole.USER:
        return conversation.display_name or conversation.display_phone or "Cliente"
    if message.role == MessageRole.STAFF:
        return f"{message.payload.get('staff', 'Personal')} (personal)"
    return conversation.assistant.name


def conversation_transcript(conversation: Conversation) -> list[TranscriptEntry | NoteEntry]:
    """Every message of the conversation and every internal note, oldest first, as chat turns."""
    entries: list[TranscriptEntry | NoteEntry] = []
    for message in conversation.messages.order_by("created_at", "id").prefetch_related("webhook_deliveries"):
        slots = sorted((slot_label(name), slot_text(value)) for name, value in (message.slots or {}).items())
        actions = _bot_actions(message.payload or {}) if message.role == MessageRole.BOT else []
        actions += _delivery(message)
        entries.append(TranscriptEntry(message, _author(message, conversation), slots, actions))
    for note in conversation.notes.select_related("author"):
        author = note.author.get_username() if note.author else "Personal"
        entries.append(NoteEntry(note, f"{author} · nota interna"))
    return sorted(entries, key=lambda entry: entry.message.created_at)  # stable: messages keep their order


def intents_seen(messages: list[Message]) -> list[str]:
    """The intents of the customer's messages, each once, in the order they first appeared."""
    return list(dict.fromkeys(message.intent for message in messages if message.intent))


def with_list_details(queryset: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """What the conversation list shows beside each row, fetched in a few queries for the whole page."""
    customer_turns = (
        Message.objects.filter(role=MessageRole.USER)
        .exclude(intent="")
        .only("id", "conversation_id", "intent", "created_at")
    )
    return queryset.select_related("assistant").prefetch_related(
        Prefetch("messages", queryset=customer_turns.order_by("created_at", "id"), to_attr="customer_turns"),
        Prefetch("leads", queryset=Lead.objects.only("id", "folio", "conversation_id"), to_attr="lead_list"),
    )
