"""Lead writes: recording a customer's request with a unique, unguessable folio."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from catalog.models import Vehicle
from conversations.models import Assistant, Channel, Conversation
from conversations.phones import phone_e164
from leads.models import Lead, LeadStatus

# No 0/O, 1/I/L: a folio is read aloud and typed back by people.
FOLIO_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
FOLIO_GROUPS = 2
FOLIO_GROUP_LENGTH = 4
FOLIO_ATTEMPTS = 5


class FolioExhausted(RuntimeError):
    """Every folio tried was taken: the random source or the alphabet is broken."""


def new_folio(prefix: str) -> str:
    """'KVK-7Q2M-9XHF': the prefix, then 8 characters from a cryptographic source."""
    groups = ["".join(secrets.choice(FOLIO_ALPHABET) for _ in range(FOLIO_GROUP_LENGTH)) for _ in range(FOLIO_GROUPS)]
    prefix = prefix.strip().upper()
    return "-".join([prefix, *groups] if prefix else groups)


def vehicle_label(vehicle: Vehicle) -> str:
    return f"{vehicle.make} {vehicle.model} {vehicle.year} ({vehicle.stock_id})"[:200]


def _customer_phone(phone: str, conversation: Conversation | None) -> str:
    """The phone given, else the conversation's sender; a web chat's sender is a session key, not a phone."""
    phone = phone.strip().removeprefix("whatsapp:")
    if conversation is None:
        return phone
    if conversation.channel == Channel.WEB:
        return "" if phone == conversation.sender else phone
    return phone or conversation.sender.removeprefix("whatsapp:")


def lead_for_car(conversation: Conversation | None, vehicle: Vehicle | None) -> Lead | None:
    """The lead already recorded for this car in this conversation (at most one: a constraint says so)."""
    if conversation is None or conversation.pk is None or vehicle is None:
        return None
    return Lead.objects.filter(conversation=conversation, vehicle=vehicle).first()


def create_with_unique_folio(
    fields: dict[str, Any], *, prefix: str, make_folio: Callable[[str], str] = new_folio, attempts: int = FOLIO_ATTEMPTS
) -> Lead:
    """Insert the lead under a fresh folio, retrying on a collision; each try in its own savepoint.

    A lead for a car this conversation already has one for is that lead: when two turns race, the
    database's constraint lets one insert win and the other gets the winner's lead (and folio).
    """
    for _ in range(attempts):
        folio = make_folio(prefix)
        try:
            with transaction.atomic():
                return Lead.objects.create(folio=folio, **fields)
        except IntegrityError:
            existing = lead_for_car(fields.get("conversation"), fields.get("vehicle"))
            if existing is not None:
                return existing
            if not Lead.objects.filter(folio=folio).exists():
                raise  # some other constraint failed: retrying would not help
    raise FolioExhausted(f"No free folio after {attempts} attempts")


@dataclass
class LeadDraft:
    """A lead decided on but not yet written: its folio is drawn already, so a reply can quote it.

    The engine drafts; the turn's transaction writes it with `lead_record`, next to the reply.
    """

    folio: str
    prefix: str
    fields: dict[str, Any]

    @property
    def customer_phone(self) -> str:
        return self.fields["customer_phone"]


def lead_draft(
    *,
    assistant: Assistant,
    conversation: Conversation | None = None,
    vehicle: Vehicle | None = None,
    plan: dict[str, Any] | None = None,
    customer_phone: str = "",
    customer_name: str = "",
    request: str = "",
) -> LeadDraft:
    if plan is not None and hasattr(plan, "as_dict"):
        plan = plan.as_dict()
    fields = {
        "assistant": assistant,
        "conversation": conversation,
        "vehicle": vehicle,
        "vehicle_label": vehicle_label(vehicle) if vehicle else "",
        "plan": dict(plan or {}),
        "customer_phone": _customer_phone(customer_phone, conversation)[:40],
        "customer_name": (customer_name.strip() or (conversation.profile_name if conversation else ""))[:120],
        "request": request.strip()[:300],
    }
    return LeadDraft(folio=new_folio(assistant.folio_prefix), prefix=assistant.folio_prefix, fields=fields)


def lead_record(draft: LeadDraft) -> Lead:
    """Write a drafted lead under its folio; should that folio be taken meanwhile, under a fresh one."""
    drawn = [draft.folio]
    return create_with_unique_folio(
        draft.fields, prefix=draft.prefix, make_folio=lambda prefix: drawn.pop() if drawn else new_folio(prefix)
    )


def lead_create(**draft_fields: Any) -> Lead:
    """Draft and write a lead at once (the arguments of `lead_draft`)."""
    return lead_record(lead_draft(**draft_fields))


# --- the sales team's workflow ----------------------------------------------------------------------------------

# new → contacted → visit scheduled → won / lost; a lead can be lost at any step, and a lost one reopened.
LEAD_TRANSITIONS: dict[str, tuple[str, ...]] = {
    LeadStatus.NEW: (LeadStatus.CONTACTED, LeadStatus.LOST),
    LeadStatus.CONTACTED: (LeadStatus.VISIT_SCHEDULED, LeadStatus.LOST),
    LeadStatus.VISIT_SCHEDULED: (LeadStatus.WON, LeadStatus.LOST),
    LeadStatus.WON: (),
    LeadStatus.LOST: (LeadStatus.CONTACTED,),
}


def lead_next_statuses(status: str) -> tuple[str, ...]:
    return LEAD_TRANSITIONS.get(status, ())


def lead_can_move(current: str, new: str) -> bool:
    return new == current or new in lead_next_statuses(current)


def leads_move(leads: QuerySet[Lead], status: str) -> tuple[int, int]:
    """Move each lead to `status` where the workflow allows it; returns (moved, left as they were)."""
    allowed = [current for current, following in LEAD_TRANSITIONS.items() if status in following]
    movable = leads.filter(status__in=allowed)
    total = leads.count()
    moved = movable.update(status=status, updated_at=timezone.now())
    return moved, total - moved


def lead_set_contact(folio: str, *, phone: str) -> bool:
    """Record the phone a customer gives after asking for a car (the web chat knows none)."""
    phone = phone_e164(phone) or phone.strip()
    return bool(Lead.objects.filter(folio=folio).update(customer_phone=phone[:40], updated_at=timezone.now()))
