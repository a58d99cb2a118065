"""Privacy: transcripts kept only as long as TRANSCRIPT_RETENTION_DAYS says, and a customer forgotten on request.

Leads are the business's record of a sale and stay; a purged conversation leaves its leads with no
conversation, and a forgotten customer's leads lose their phone and name (the staff's notes stay).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from conversations.models import Conversation, Message
from leads.models import Lead

# A sender or lead phone that is a phone number (a web chat's sender is a session key, never matched).
PHONE_LIKE = re.compile(r"^(?:whatsapp:)?\+?[\d\s().-]{10,24}$")
NATIONAL_DIGITS = 10  # a Mexican number without its country code (+52) or mobile prefix (1)


class RetentionNotConfigured(ValueError):
    """No --days given and TRANSCRIPT_RETENTION_DAYS is empty: transcripts are kept."""


class NotAPhoneNumber(ValueError):
    """forget_customer needs a phone number with at least 10 digits."""


@dataclass(frozen=True)
class PurgeReport:
    conversations: int
    messages: int
    cutoff: datetime


@dataclass(frozen=True)
class ForgetReport:
    conversations: int
    messages: int
    leads: int


def retention_days(days: int | None = None) -> int:
    """The days to keep transcripts: `days` when given, else the setting; raises when neither says."""
    days = settings.TRANSCRIPT_RETENTION_DAYS if days is None else days
    if days is None:
        raise RetentionNotConfigured("TRANSCRIPT_RETENTION_DAYS is empty: transcripts are kept.")
    if days < 0:
        raise ValueError("Retention days cannot be negative.")
    return days


def conversations_expired(days: int) -> QuerySet[Conversation]:
    """Conversations whose last message is older than `days` days."""
    return Conversation.objects.filter(last_message_at__lt=timezone.now() - timedelta(days=days))


def conversations_purge(*, days: int | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete the expired conversations and their messages (their leads stay, without a conversation)."""
    days = retention_days(days)
    cutoff = timezone.now() - timedelta(days=days)
    expired = Conversation.objects.filter(last_message_at__lt=cutoff)
    with transaction.atomic():
        report = PurgeReport(
            conversations=expired.count(),
            messages=Message.objects.filter(conversation__in=expired).count(),
            cutoff=cutoff,
        )
        if not dry_run:
            expired.delete()
    return report


def national_digits(phone: str) -> str:
    """The last 10 digits of a phone number: +52 1 55 1234 5678, 5215512345678 and 55-1234-5678 agree."""
    return re.sub(r"\D", "", phone)[-NATIONAL_DIGITS:]


def customer_forget(phone: str) -> ForgetReport:
    """Delete a customer's conversations on every channel and blank the phone and name on their leads."""
    wanted = national_digits(phone)
    if len(wanted) < NATIONAL_DIGITS:
        raise NotAPhoneNumber(f"«{phone}» no es un número de teléfono de al menos 10 dígitos.")
    conversations = Conversation.objects.filter(pk__in=_conversation_ids_of(wanted))
    with transaction.atomic():
        leads = Lead.objects.filter(Q(pk__in=_lead_ids_of(wanted)) | Q(conversation__in=conversations))
        anonymised = leads.update(customer_phone="", customer_name="")
        messages = Message.objects.filter(conversation__in=conversations).count()
        deleted = conversations.count()
        conversations.delete()
    return ForgetReport(conversations=deleted, messages=messages, leads=anonymised)


def _same_customer(value: str, wanted: str) -> bool:
    return bool(PHONE_LIKE.match(value.strip())) and national_digits(value) == wanted


def _conversation_ids_of(wanted: str) -> list[object]:
    candidates = Conversation.objects.filter(sender__contains=wanted[-4:]).values_list("pk", "sender")
    return [pk for pk, sender in candidates if _same_customer(sender, wanted)]


def _lead_ids_of(wanted: str) -> list[int]:
    candidates = Lead.objects.filter(customer_phone__contains=wanted[-4:]).values_list("pk", "customer_phone")
    return [pk for pk, customer_phone in candidates if _same_customer(customer_phone, wanted)]
