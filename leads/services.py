"""Lead writes: recording a customer's request with a unique, unguessable folio."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from catalog.models import Availability, Vehicle
from conversations.models import Assistant, Channel, Conversation
from conversations.phones import phone_e164
from leads.models import Lead, LeadEvent, LeadStatus

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
        "customer_name": (customer_name.strip() or (conversation.display_name if conversation else ""))[:120],
        "request": request.strip()[:300],
    }
    return LeadDraft(folio=new_folio(assistant.folio_prefix), prefix=assistant.folio_prefix, fields=fields)


def lead_record(draft: LeadDraft) -> Lead:
    """Write a drafted lead under its folio; should that folio be taken meanwhile, under a fresh one."""
    drawn = [draft.folio]
    return create_with_unique_folio(
        draft.fields, prefix=draft.prefix, make_folio=lambda prefix: drawn.pop() if drawn else new_folio(prefix)
    )


def lead_hold_car(lead: Lead, *, now: datetime | None = None) -> None:
    """Keep the lead's car off the bot's offers for the assistant's hold period (an available car only).

    The hold starts when staff take the lead up (contacted or visit scheduled), not when the bot records it:
    the conversation asking for the car still talks about it (its plan, "lo quiero" again), and the bot's
    context reads available cars only."""
    if lead.vehicle_id is None or lead.hold_until is not None:
        return
    now = now or timezone.now()
    if not Vehicle.objects.filter(pk=lead.vehicle_id, status=Availability.AVAILABLE).update(
        status=Availability.RESERVED, updated_at=now
    ):
        return
    lead.hold_until = now + timedelta(hours=lead.assistant.lead_hold_hours)
    Lead.objects.filter(pk=lead.pk).update(hold_until=lead.hold_until)


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


def leads_move(leads: QuerySet[Lead], status: str, *, by: Any = None) -> tuple[int, int]:
    """Move each lead to `status` where the workflow allows it, each with its history; returns (moved, left
    as they were). A step that needs more (a visit's date, a reason for losing) is left to the lead's page."""
    allowed = [current for current, following in LEAD_TRANSITIONS.items() if status in following]
    total, moved = leads.count(), 0
    for lead in leads.filter(status__in=allowed).select_related("assistant"):
        try:
            lead_update(lead, by=by, status=status)
        except ValidationError:
            continue
        moved += 1
    return moved, total - moved


def lead_validate(lead: Lead) -> None:
    """What each status needs: a visit's date and time when one is scheduled, a reason when the lead is lost."""
    errors = {}
    if lead.status == LeadStatus.VISIT_SCHEDULED and lead.visit_at is None:
        errors["visit_at"] = "Escribe la fecha y la hora de la visita."
    if lead.status == LeadStatus.LOST and not lead.lost_reason:
        errors["lost_reason"] = "Elige por qué se perdió el prospecto."
    if errors:
        raise ValidationError(errors)


TRACKED_FIELDS = {"status": "estado", "assigned_to": "vendedor"}


def _shown(lead: Lead, field: str) -> str:
    if field == "status":
        return LeadStatus(lead.status).label.lower()
    user = lead.assigned_to
    return (user.get_full_name() or user.get_username()) if user else "nadie"


def lead_update(lead: Lead, *, by: Any = None, **changes: Any) -> Lead:
    """Staff change a lead: the workflow step and what it needs, salesperson, contact data, notes.

    Each status or salesperson change is recorded (who, when); a won lead marks its car sold, and a lost
    one lets its car go back on offer. Raises ValidationError for a step the workflow does not allow.
    """
    before = Lead.objects.select_related("assigned_to").get(pk=lead.pk)
    new_status = changes.get("status", lead.status)
    if not lead_can_move(before.status, new_status):
        raise ValidationError(
            {
                "status": f"Un prospecto «{before.get_status_display()}» no puede pasar a "
                f"«{LeadStatus(new_status).label}»."
            }
        )
    for field, value in changes.items():
        setattr(lead, field, value)
    lead_validate(lead)
    with transaction.atomic():
        lead.save()
        user = by if getattr(by, "is_authenticated", False) else None
        LeadEvent.objects.bulk_create(
            LeadEvent(lead=lead, field=field, old=_shown(before, field), new=_shown(lead, field), by=user)
            for field in TRACKED_FIELDS
            if _shown(before, field) != _shown(lead, field)
        )
        if lead.status != before.status:
            _car_follows_lead(lead)
        if lead.conversation_id and ("customer_name" in changes or "customer_phone" in changes):
            Conversation.objects.filter(pk=lead.conversation_id).update(
                customer_name=lead.customer_name, customer_phone=lead.customer_phone
            )
    return lead


def _car_follows_lead(lead: Lead) -> None:
    if lead.vehicle_id is None:
        return
    now = timezone.now()
    if lead.status in (LeadStatus.CONTACTED, LeadStatus.VISIT_SCHEDULED):
        lead_hold_car(lead, now=now)
    elif lead.status == LeadStatus.WON:
        Vehicle.objects.filter(pk=lead.vehicle_id).update(status=Availability.SOLD, updated_at=now)
    elif lead.status == LeadStatus.LOST and lead.hold_until is not None:
        Lead.objects.filter(pk=lead.pk).update(hold_until=None)
        lead.hold_until = None
        _offer_again([lead.vehicle_id], now)


def _offer_again(vehicle_ids: list[int], now: datetime) -> int:
    """Reserved cars no open lead holds any more go back on offer."""
    held = Lead.objects.filter(vehicle_id__in=vehicle_ids, hold_until__gt=now).exclude(
        status__in=[LeadStatus.WON, LeadStatus.LOST]
    )
    return (
        Vehicle.objects.filter(pk__in=vehicle_ids, status=Availability.RESERVED)
        .exclude(pk__in=held.values("vehicle_id"))
        .update(status=Availability.AVAILABLE, updated_at=now)
    )


def leads_release_expired_holds(*, now: datetime | None = None) -> int:
    """The periodic sweep: holds past their end are over, and their cars offered again (unless won).
    Returns how many cars went back on offer."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = Lead.objects.filter(hold_until__lte=now).exclude(status=LeadStatus.WON)
        vehicle_ids = list(expired.exclude(vehicle=None).values_list("vehicle_id", flat=True).distinct())
        expired.update(hold_until=None)
        return _offer_again(vehicle_ids, now)


# --- the same phone asking for the same car twice ---------------------------------------------------------------

PHONE_MATCH_DIGITS = 10  # across channels a customer is matched on the last ten digits (see conversations.phones)


def lead_for_phone_and_car(phone: str, vehicle: Vehicle | None, *, exclude: int | None = None) -> Lead | None:
    """The open lead this phone already has for this car, whatever the conversation, oldest first."""
    digits = "".join(char for char in phone if char.isdigit())
    if vehicle is None or len(digits) < PHONE_MATCH_DIGITS:
        return None
    leads = Lead.objects.filter(vehicle=vehicle, customer_phone__endswith=digits[-PHONE_MATCH_DIGITS:]).exclude(
        status__in=[LeadStatus.WON, LeadStatus.LOST]
    )
    if exclude is not None:
        leads = leads.exclude(pk=exclude).filter(pk__lt=exclude)
    return leads.order_by("created_at", "pk").first()


def lead_flag_requested_again(lead: Lead) -> None:
    """The customer asked again for a car they have a lead for: flag that lead rather than record another."""
    now = timezone.now()
    Lead.objects.filter(pk=lead.pk).update(requested_again_at=now, updated_at=now)
    lead.requested_again_at = now


def lead_set_contact(folio: str, *, phone: str) -> bool:
    """Record the phone a customer gives after asking for a car (the web chat knows none)."""
    phone = (phone_e164(phone) or phone.strip())[:40]
    lead = Lead.objects.select_related("vehicle").filter(folio=folio).first()
    if lead is None:
        return False
    Conversation.objects.filter(pk=lead.conversation_id, customer_phone="").update(customer_phone=phone)
    # A web customer who already asked for this car from the same phone: this lead is flagged as the repeat.
    first = lead_for_phone_and_car(phone, lead.vehicle, exclude=lead.pk)
    Lead.objects.filter(pk=lead.pk).update(customer_phone=phone, duplicate_of=first, updated_at=timezone.now())
    return True
