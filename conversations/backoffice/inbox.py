"""Reads for the inbox: the conversations waiting for a person, longest wait first, with what staff need
to pick one (who, where, how long, what they last said, who has it)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from conversations.backoffice.response_times import ResponseTimes, duration_text, staff_response_times
from conversations.models import Conversation, Message, MessageRole
from leads.models import Lead

PREVIEW_CHARS = 120


@dataclass(frozen=True)
class InboxEntry:
    conversation: Conversation
    customer: str  # the name, else the phone or the chat's id
    contact: str  # the phone (or id) when a name is shown, else ""
    preview: str
    waiting: dt.timedelta | None
    response_times: ResponseTimes

    @property
    def assignee(self) -> str:
        user = self.conversation.assigned_to
        return (user.get_full_name() or user.get_username()) if user is not None else ""

    @property
    def waiting_text(self) -> str:
        return duration_text(self.waiting)

    @property
    def response_text(self) -> str:
        return response_text(self.response_times)

    def as_json(self, user: Any) -> dict[str, Any]:
        conversation = self.conversation
        return {
            "id": str(conversation.pk),
            "url": reverse("admin:conversations_conversation_change", args=[conversation.pk]),
            "take_url": reverse("admin:conversations_conversation_take", args=[conversation.pk]),
            "customer": self.customer,
            "contact": self.contact,
            "channel": conversation.get_channel_display(),
            "assistant": conversation.assistant.name,
            "handoff_at": conversation.handoff_at.isoformat() if conversation.handoff_at else None,
            "waiting": self.waiting_text,
            "preview": self.preview,
            "assignee": self.assignee,
            "mine": conversation.assigned_to_id == user.pk,
            "response": self.response_text,
        }


def response_text(times: ResponseTimes) -> str:
    """The first staff response time, or "pendiente" while the customer still waits for it."""
    if times.first is not None:
        return duration_text(times.first)
    return "pendiente" if times.pending_since is not None else "—"


def _preview(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= PREVIEW_CHARS else f"{text[: PREVIEW_CHARS - 1]}…"


def customer_label(conversation: Conversation, leads: list[Lead]) -> tuple[str, str]:
    """(name, contact): the name the customer stated or their profile name, else a lead's; the phone they gave,
    else a lead's, else the sender."""
    name = conversation.display_name or next((lead.customer_name for lead in leads if lead.customer_name), "")
    contact = conversation.customer_phone or next((lead.customer_phone for lead in leads if lead.customer_phone), "")
    contact = contact or conversation.sender
    return (name, contact) if name else (contact, "")


def inbox_entries(conversations: QuerySet[Conversation]) -> list[InboxEntry]:
    """The conversations of the queryset waiting for a person, the longest wait first."""
    last_customer_text = (
        Message.objects.filter(conversation=OuterRef("pk"), role=MessageRole.USER)
        .order_by("-created_at", "-id")
        .values("text")[:1]
    )
    waiting = list(
        conversations.filter(handoff=True)
        .select_related("assistant", "assigned_to")
        .prefetch_related(
            Prefetch(
                "leads",
                queryset=Lead.objects.only("id", "conversation_id", "customer_name", "customer_phone"),
                to_attr="inbox_leads",
            )
        )
        .annotate(last_customer_text=Subquery(last_customer_text))
        .order_by(F("handoff_at").asc(nulls_last=True), "-last_message_at")
    )
    times = staff_response_times(waiting)
    now = timezone.now()
    entries = []
    for conversation in waiting:
        customer, contact = customer_label(conversation, conversation.inbox_leads)
        entries.append(
            InboxEntry(
                conversation=conversation,
                customer=customer,
                contact=contact,
                preview=_preview(conversation.last_customer_text),
                waiting=now - conversation.handoff_at if conversation.handoff_at else None,
                response_times=times[conversation.pk],
            )
        )
    return entries
