"""Staff response time: how long a customer waited for a person, from the handoff or their message to the
first staff reply. Read from the stored messages, so any page (the inbox, a transcript, the dashboard) can
measure any set of conversations in one query.

A wait opens at the first customer message (or the bot's handoff) since the last answer, stays open while
nobody answers (the bot is silent once a person has the conversation), and closes at the next staff reply.
A bot answer that is not a handoff closes it unmeasured: the customer was answered, by the bot.
"""

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, QuerySet, Value, When

from conversations.models import Conversation, Message, MessageRole


@dataclass(frozen=True)
class ResponseWait:
    started_at: dt.datetime
    answered_at: dt.datetime | None  # None: still waiting

    @property
    def duration(self) -> dt.timedelta | None:
        return None if self.answered_at is None else self.answered_at - self.started_at


@dataclass(frozen=True)
class ResponseTimes:
    """One conversation's waits for staff, oldest first."""

    waits: tuple[ResponseWait, ...] = ()

    @property
    def answered(self) -> list[dt.timedelta]:
        return [wait.duration for wait in self.waits if wait.duration is not None]

    @property
    def first(self) -> dt.timedelta | None:
        """The first response: what the inbox and the transcript show."""
        return self.answered[0] if self.answered else None

    @property
    def average(self) -> dt.timedelta | None:
        answered = self.answered
        return sum(answered, dt.timedelta()) / len(answered) if answered else None

    @property
    def pending_since(self) -> dt.datetime | None:
        """When the customer started waiting for the reply nobody has sent yet."""
        last = self.waits[-1] if self.waits else None
        return last.started_at if last is not None and last.answered_at is None else None


@dataclass(frozen=True)
class ResponseSummary:
    """Response times across conversations, e.g. for the dashboard."""

    count: int
    average: dt.timedelta | None
    median: dt.timedelta | None


def response_waits(rows: Iterable[dict[str, Any]], *, with_person: bool) -> tuple[ResponseWait, ...]:
    """The waits in one conversation's messages (dicts with role, created_at, handoff), oldest first.

    `with_person` says whether a person has the conversation now: only then is a last unanswered
    customer message waiting for staff (otherwise it waits for the bot).
    """
    waits: list[ResponseWait] = []
    started: dt.datetime | None = None
    for row in rows:
        role, at = row["role"], row["created_at"]
        if role == MessageRole.USER:
            started = started or at
        elif role == MessageRole.BOT:
            started = (started or at) if row["handoff"] else None
        elif role == MessageRole.STAFF and started is not None:
            waits.append(ResponseWait(started, at))
            started = None
    if started is not None and with_person:
        waits.append(ResponseWait(started, None))
    return tuple(waits)


def staff_response_times(conversations: QuerySet[Conversation] | Iterable[Conversation]) -> dict[Any, ResponseTimes]:
    """Each conversation's response times, by conversation id, read in one query."""
    if isinstance(conversations, QuerySet):
        handoff_of = dict(conversations.order_by().values_list("pk", "handoff"))
        scope = Message.objects.filter(conversation__in=conversations.order_by().values("pk"))
    else:
        handoff_of = {conversation.pk: conversation.handoff for conversation in conversations}
        scope = Message.objects.filter(conversation_id__in=list(handoff_of))
    rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    handed_off = Case(When(payload__handoff=True, then=Value(True)), default=Value(False), output_field=BooleanField())
    messages = (
        scope.annotate(handoff=handed_off)
        .order_by("conversation_id", "created_at", "id")
        .values("conversation_id", "role", "created_at", "handoff")
    )
    for row in messages:
        rows[row["conversation_id"]].append(row)
    return {
        pk: ResponseTimes(response_waits(rows.get(pk, []), with_person=with_person))
        for pk, with_person in handoff_of.items()
    }


def conversation_response_times(conversation: Conversation) -> ResponseTimes:
    return staff_response_times([conversation])[conversation.pk]


def staff_response_summary(conversations: QuerySet[Conversation]) -> ResponseSummary:
    """Every answered wait of the conversations: how many, their average and their median."""
    durations = [duration for times in staff_response_times(conversations).values() for duration in times.answered]
    if not durations:
        return ResponseSummary(0, None, None)
    seconds = [duration.total_seconds() for duration in durations]
    return ResponseSummary(
        count=len(durations),
        average=dt.timedelta(seconds=statistics.fmean(seconds)),
        median=dt.timedelta(seconds=statistics.median(seconds)),
    )


def duration_text(duration: dt.timedelta | None) -> str:
    """'45 s', '12 min', '2 h 05 min', '3 d 4 h' — short enough for a table cell."""
    if duration is None:
        return "—"
    seconds = max(int(duration.total_seconds()), 0)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"
