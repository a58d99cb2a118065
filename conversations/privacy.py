"""Privacy: transcripts kept only as long as TRANSCRIPT_RETENTION_DAYS says, and a customer forgotten on request.

Leads are the business's record of a sale and stay; a purged conversation leaves its leads with no
conversation, and a forgotten customer's leads lose their phone and name (the staff's notes stay, with the
phone taken out). Forgetting also takes the phone out of other customers' messages and of the admin's log,
and remembers the forgotten messages' ids as keyed hashes so a replayed webhook cannot bring them back.
"""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from conversations.models import Channel, Conversation, ForgottenMessage, Message
from conversations.phones import phone_spans
from leads.models import Lead

# A sender or lead phone that is a phone number (a web chat's sender is a session key, never matched).
PHONE_LIKE = re.compile(r"^(?:whatsapp:)?\+?[\d\s().-]{10,24}$")
NATIONAL_DIGITS = 10  # a Mexican number without its country code (+52) or mobile prefix (1)
REDACTED_PHONE = "[teléfono borrado]"
REDACTED_NAME = "[nombre borrado]"
MIN_NAME_CHARS = 2  # a one-letter "name" would redact every "a" in the admin's log
# Keys the HMAC of forgotten message ids; salted_hmac derives the key from SECRET_KEY and this salt.
FORGOTTEN_MESSAGE_SALT = "conversations.privacy.forgotten-message"
LOG_ENTRY_REPR_CHARS = 200  # LogEntry.object_repr


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
    redacted_messages: int = 0  # other customers' messages the phone was taken out of
    redacted_log_entries: int = 0  # admin log entries the phone or the name was taken out of
    remembered_message_ids: int = 0  # ids kept as hashes so a replayed webhook is refused


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
    """Forget a customer everywhere: their conversations on every channel (a web chat's through the leads
    that carry the phone typed into it), their leads' phone and name, the phone in other messages and the
    phone and name in the admin's log; their message ids are remembered as keyed hashes."""
    wanted = national_digits(phone)
    if len(wanted) < NATIONAL_DIGITS:
        raise NotAPhoneNumber(f"«{phone}» no es un número de teléfono de al menos 10 dígitos.")
    with transaction.atomic():
        customer_leads = Lead.objects.filter(pk__in=_lead_ids_of(wanted))
        chats_of_leads = customer_leads.filter(conversation__channel__in=[Channel.WEB, Channel.API])
        conversations = Conversation.objects.filter(
            Q(pk__in=_conversation_ids_of(wanted))
            | Q(pk__in=chats_of_leads.values("conversation_id"))
            | Q(customer_phone__endswith=wanted)  # a web chat that left this phone
        )
        conversation_ids = list(conversations.values_list("pk", flat=True))
        conversations = Conversation.objects.filter(pk__in=conversation_ids)
        leads = Lead.objects.filter(Q(pk__in=customer_leads.values("pk")) | Q(conversation__in=conversation_ids))
        names = (
            set(leads.values_list("customer_name", flat=True))
            | set(conversations.values_list("profile_name", flat=True))
            | set(conversations.values_list("customer_name", flat=True))
        )
        remembered = _remember_message_ids(Message.objects.filter(conversation__in=conversation_ids))
        _redact_phone_in_leads(leads, wanted)
        anonymised = leads.update(customer_phone="", customer_name="", updated_at=timezone.now())
        messages = Message.objects.filter(conversation__in=conversation_ids).count()
        deleted = conversations.count()
        conversations.delete()
        redacted_messages = _redact_phone_in_messages(wanted)
        redacted_entries = _redact_log_entries(wanted, names)
    return ForgetReport(
        conversations=deleted,
        messages=messages,
        leads=anonymised,
        redacted_messages=redacted_messages,
        redacted_log_entries=redacted_entries,
        remembered_message_ids=remembered,
    )


def message_id_digest(external_id: str, secret: str | None = None) -> str:
    """HMAC-SHA256 of a message id, keyed from SECRET_KEY: the id itself is never stored."""
    return salted_hmac(FORGOTTEN_MESSAGE_SALT, external_id, secret=secret, algorithm="sha256").hexdigest()


def message_is_forgotten(external_id: str) -> bool:
    """Whether a message id belongs to a forgotten customer (a replayed webhook); old keys still count."""
    if not external_id:
        return False
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    digests = [message_id_digest(external_id, secret) for secret in secrets]
    return ForgottenMessage.objects.filter(digest__in=digests).exists()


def _remember_message_ids(messages: QuerySet[Message]) -> int:
    ids = set(messages.exclude(external_id__isnull=True).exclude(external_id="").values_list("external_id", flat=True))
    ForgottenMessage.objects.bulk_create(
        [ForgottenMessage(digest=message_id_digest(external_id)) for external_id in ids], ignore_conflicts=True
    )
    return len(ids)


def _same_customer(value: str, wanted: str) -> bool:
    return bool(PHONE_LIKE.match(value.strip())) and national_digits(value) == wanted


def _conversation_ids_of(wanted: str) -> list[object]:
    candidates = Conversation.objects.filter(sender__contains=wanted[-4:]).values_list("pk", "sender")
    return [pk for pk, sender in candidates if _same_customer(sender, wanted)]


def _lead_ids_of(wanted: str) -> list[int]:
    candidates = Lead.objects.filter(customer_phone__contains=wanted[-4:]).values_list("pk", "customer_phone")
    return [pk for pk, customer_phone in candidates if _same_customer(customer_phone, wanted)]


# --- taking the phone and the name out of texts -------------------------------------------------------------


def redact_phone(text: str, wanted: str) -> str:
    """The text with the customer's phone, in any format ("(55) 1234 5678", "+52 1 55…"), taken out."""
    pieces, cursor = [], 0
    for start, end in phone_spans(text):
        if national_digits(text[start:end]) == wanted:
            pieces += [text[cursor:start], REDACTED_PHONE]
            cursor = end
    return "".join(pieces) + text[cursor:] if pieces else text


def _phone_written_anyhow(field: str, wanted: str) -> Q:
    """Texts that may hold the phone: its last four digits, together or split in two ("56 78")."""
    last = wanted[-4:]
    query = Q(**{f"{field}__contains": last})
    for separator in " -.":
        query |= Q(**{f"{field}__contains": f"{last[:2]}{separator}{last[2:]}"})
    return query


def _redacted_json(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted_json(item, redact) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted_json(item, redact) for item in value]
    return value


def _redact_phone_in_leads(leads: QuerySet[Lead], wanted: str) -> None:
    for lead in leads.filter(_phone_written_anyhow("request", wanted) | _phone_written_anyhow("notes", wanted)):
        Lead.objects.filter(pk=lead.pk).update(
            request=redact_phone(lead.request, wanted)[:300], notes=redact_phone(lead.notes, wanted)
        )


def _redact_phone_in_messages(wanted: str) -> int:
    """Other conversations' messages that mention the phone (a customer giving a relative's number)."""
    redacted = 0
    for message in Message.objects.filter(_phone_written_anyhow("text", wanted)).iterator():
        text = redact_phone(message.text, wanted)
        if text == message.text:
            continue
        Message.objects.filter(pk=message.pk).update(
            text=text,
            payload=_redacted_json(message.payload, lambda value: redact_phone(value, wanted)),
            slots=_redacted_json(message.slots, lambda value: redact_phone(value, wanted)),
        )
        redacted += 1
    return redacted


def _redact_log_entries(wanted: str, names: Iterable[str]) -> int:
    """The admin's log keeps what was done, not to whom: the phone and the name come out of its text."""
    names = sorted({name.strip() for name in names if len(name.strip()) >= MIN_NAME_CHARS}, key=len, reverse=True)
    name_pattern = (
        re.compile(r"(?<!\w)(?:" + "|".join(re.escape(name) for name in names) + r")(?!\w)", re.IGNORECASE)
        if names
        else None
    )

    def redact(text: str) -> str:
        text = redact_phone(text, wanted)
        return name_pattern.sub(REDACTED_NAME, text) if name_pattern else text

    query = _phone_written_anyhow("object_repr", wanted) | _phone_written_anyhow("change_message", wanted)
    for name in names:
        # The admin writes change messages with json.dumps: "López" is stored as "L\u00f3pez".
        escaped = json.dumps(name)[1:-1]
        query |= Q(object_repr__icontains=name) | Q(change_message__icontains=name)
        query |= Q(change_message__icontains=escaped)
    redacted = 0
    for entry in LogEntry.objects.filter(query).iterator():
        object_repr = redact(entry.object_repr)[:LOG_ENTRY_REPR_CHARS]
        change_message = _redacted_change_message(entry.change_message, redact)
        if (object_repr, change_message) != (entry.object_repr, entry.change_message):
            LogEntry.objects.filter(pk=entry.pk).update(object_repr=object_repr, change_message=change_message)
            redacted += 1
    return redacted


def _redacted_change_message(change_message: str, redact: Callable[[str], str]) -> str:
    """The admin writes change messages as JSON; redact its strings so it stays valid JSON."""
    try:
        parsed = json.loads(change_message)
    except ValueError:
        return redact(change_message)
    redacted = _redacted_json(parsed, redact)
    return change_message if redacted == parsed else json.dumps(redacted)
