"""The staff dashboard's numbers over a date range, for the assistants a user may see."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from conversations.models import Conversation, Message, MessageRole
from leads.models import Lead, LeadStatus

MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 30


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def last_days(cls, days: int = DEFAULT_RANGE_DAYS, *, today: dt.date | None = None) -> "DateRange":
        end = today or timezone.localdate()
        return cls(end - dt.timedelta(days=days - 1), end)

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=offset) for offset in range((self.end - self.start).days + 1)]

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start of the first day, start of the day after the last) in the site's time zone."""
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        return start, dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def _share(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CsatSummary:
    responses: int
    average: Decimal | None  # 1..5
    satisfied: Decimal | None  # % of 4 and 5
    distribution: list[tuple[int, int]]  # (score, answers) for 1..5


@dataclass(frozen=True)
class NpsSummary:
    responses: int
    promoters: int  # 9-10
    passives: int  # 7-8
    detractors: int  # 0-6

    @property
    def score(self) -> int | None:
        """% promoters − % detractors, -100..100."""
        if not self.responses:
            return None
        value = Decimal(100) * (self.promoters - self.detractors) / self.responses
        return int(value.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class DashboardKpis:
    date_range: DateRange
    conversations: int  # with at least one message in the range
    conversations_per_day: list[tuple[dt.date, int]]
    customer_messages: int
    bot_messages: int
    staff_messages: int
    intents: list[tuple[str, int]]  # customer turns by intent, most frequent first
    leads: int
    leads_by_status: list[tuple[str, int]]  # (status label, leads) in workflow order
    converted: int  # conversations that got a financing plan or a lead
    handoffs: int  # conversations handed to a person in the range
    waiting: int  # conversations a person has to answer now
    csat: CsatSummary
    nps: NpsSummary

    @property
    def conversion_rate(self) -> Decimal | None:
        return _share(self.converted, self.conversations)

    @property
    def interactions_per_session(self) -> Decimal | None:
        if not self.conversations:
            return None
        return (Decimal(self.customer_messages) / self.conversations).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _per_day(messages: QuerySet[Message], date_range: DateRange) -> list[tuple[dt.date, int]]:
    rows = (
        messages.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(conversations=Count("conversation_id", distinct=True))
        .order_by()
    )
    counts = {row["day"]: row["conversations"] for row in rows}
    return [(day, counts.get(day, 0)) for day in date_range.days()]


def _csat(conversations: QuerySet[Conversation]) -> CsatSummary:
    rated = conversations.filter(csat_score__isnull=False)
    counts = dict(rated.values_list("csat_score").annotate(n=Count("pk")).order_by())
    responses = sum(counts.values())
    average = rated.aggregate(average=Avg("csat_score"))["average"]
    return CsatSummary(
        responses=responses,
        average=None if average is None else Decimal(str(average)).quantize(Decimal("0.01"), ROUND_HALF_UP),
        satisfied=_share(counts.get(4, 0) + counts.get(5, 0), responses),
        distribution=[(score, counts.get(score, 0)) for score in range(1, 6)],
    )


def _nps(conversations: QuerySet[Conversation]) -> NpsSummary:
    counts = conversations.aggregate(
        promoters=Count("pk", filter=Q(nps_score__gte=9)),
        passives=Count("pk", filter=Q(nps_score__gte=7, nps_score__lte=8)),
        detractors=Count("pk", filter=Q(nps_score__lte=6)),
    )
    return NpsSummary(responses=sum(counts.values()), **counts)


def _leads_by_status(leads: QuerySet[Lead]) -> list[tuple[str, int]]:
    counts = dict(leads.values_list("status").annotate(n=Count("pk")).order_by())
    return [(status.label, counts.get(status.value, 0)) for status in LeadStatus]


def dashboard_kpis(*, kinds: Iterable[str], date_range: DateRange) -> DashboardKpis:
    """The KPIs of the assistants of those kinds over the date range (both ends included)."""
    kinds = sorted(kinds)
    start, end = date_range.bounds()
    messages = Message.objects.filter(
        conversation__assistant__kind__in=kinds, created_at__gte=start, created_at__lt=end
    )
    conversations = Conversation.objects.filter(pk__in=messages.values("conversation_id"))
    leads = Lead.objects.filter(assistant__kind__in=kinds, created_at__gte=start, created_at__lt=end)
    role_counts = dict(messages.values_list("role").annotate(n=Count("pk")).order_by())
    intents = (
        messages.filter(role=MessageRole.USER)
        .exclude(intent="")
        .values_list("intent")
        .annotate(n=Count("pk"))
        .order_by("-n", "intent")
    )
    planned = messages.filter(role=MessageRole.BOT, payload__financing__0__isnull=False).values("conversation_id")
    converted = conversations.filter(Q(pk__in=planned) | Q(pk__in=leads.values("conversation_id"))).count()
    scoped = Conversation.objects.filter(assistant__kind__in=kinds)
    return DashboardKpis(
        date_range=date_range,
        conversations=conversations.count(),
        conversations_per_day=_per_day(messages, date_range),
        customer_messages=role_counts.get(MessageRole.USER, 0),
        bot_messages=role_counts.get(MessageRole.BOT, 0),
        staff_messages=role_counts.get(MessageRole.STAFF, 0),
        intents=list(intents),
        leads=leads.count(),
        leads_by_status=_leads_by_status(leads),
        converted=converted,
        handoffs=scoped.filter(handoff_at__gte=start, handoff_at__lt=end).count(),
        waiting=scoped.filter(handoff=True).count(),
        csat=_csat(conversations),
        nps=_nps(conversations),
    )
