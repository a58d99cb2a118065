"""The staff dashboard's numbers over a date range, for the assistants a user may see."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from conversations.backoffice.response_times import duration_text, staff_response_times
from conversations.models import AssistantKind, Conversation, Message, MessageRole
from leads.models import Lead, LeadStatus

MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 30
TOP_ASKED = 8  # makes and models listed
# Customer turns that are questions for an onboarding assistant: answered when the bot's reply quoted an FAQ.
QUESTION_INTENTS = ("faq", "out_of_scope")


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
class FunnelStep:
    label: str
    conversations: int
    share: Decimal | None  # % of all the conversations in the range


@dataclass(frozen=True)
class ResponseTimes:
    """Time from a handoff to the first staff message, over the handoffs of the range."""

    answered: int
    unanswered: int  # handed over and no staff message yet
    median: dt.timedelta | None
    average: dt.timedelta | None

    @property
    def median_text(self) -> str:
        return duration_text(self.median)

    @property
    def average_text(self) -> str:
        return duration_text(self.average)


@dataclass(frozen=True)
class SalesFigures:
    conversations: int
    funnel: list[FunnelStep]  # conversations → search → plan → lead → won
    top_makes: list[tuple[str, int]]  # (make, customer turns asking for it), most asked first
    top_models: list[tuple[str, int]]  # ("Make Model", customer turns)
    leads: int
    leads_by_status: list[tuple[str, int]]  # (status label, leads) in workflow order

    @property
    def with_lead(self) -> int:
        return self.funnel[3].conversations

    @property
    def conversion_rate(self) -> Decimal | None:
        """Conversations with a lead ÷ conversations."""
        return _share(self.with_lead, self.conversations)


@dataclass(frozen=True)
class OnboardingFigures:
    conversations: int
    questions: int
    answered: int  # the reply quoted an FAQ
    unanswered: int
    handoffs: int

    @property
    def answered_rate(self) -> Decimal | None:
        return _share(self.answered, self.questions)


@dataclass(frozen=True)
class DashboardKpis:
    date_range: DateRange
    conversations: int  # with at least one message in the range
    conversations_per_day: list[tuple[dt.date, int]]
    customer_messages: int
    bot_messages: int
    staff_messages: int
    intents: list[tuple[str, int]]  # customer turns by intent, most frequent first
    handoffs: int  # conversations handed to a person in the range
    waiting: int  # conversations a person has to answer now
    response_times: ResponseTimes
    csat: CsatSummary
    nps: NpsSummary
    sales: SalesFigures | None  # None when the user sees no sales assistant
    onboarding: OnboardingFigures | None  # None when the user sees no onboarding assistant

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


def _median(values: list[dt.timedelta]) -> dt.timedelta | None:
    if not values:
        return None
    ordered, middle = sorted(values), len(values) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _response_times(conversations: QuerySet[Conversation], start: dt.datetime, end: dt.datetime) -> ResponseTimes:
    """The first staff response of each conversation handed to a person in the range, measured as the inbox and
    the transcript measure it (conversations/backoffice/response_times.py)."""
    times = staff_response_times(conversations.filter(handoff_at__gte=start, handoff_at__lt=end))
    answered = [time.first for time in times.values() if time.first is not None]
    return ResponseTimes(
        answered=len(answered),
        unanswered=len(times) - len(answered),
        median=_median(answered),
        average=sum(answered, dt.timedelta()) / len(answered) if answered else None,
    )


def _asked(customer_turns: QuerySet[Message], *slots: str) -> list[tuple[str, int]]:
    """The values customers asked for in those slots (joined: "Dodge Journey"), most asked first."""
    counts: dict[str, int] = {}
    for values in customer_turns.filter(**{f"slots__{slots[-1]}__isnull": False}).values_list(
        *(f"slots__{slot}" for slot in slots)
    ):
        label = " ".join(str(value) for value in values if value)
        if label:
            counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_ASKED]


def _sales(messages: QuerySet[Message], start: dt.datetime, end: dt.datetime) -> SalesFigures:
    messages = messages.filter(conversation__assistant__kind=AssistantKind.SALES)
    conversation_ids = messages.values("conversation_id")
    total = Conversation.objects.filter(pk__in=conversation_ids).count()
    leads = Lead.objects.filter(assistant__kind=AssistantKind.SALES, created_at__gte=start, created_at__lt=end)
    bot = messages.filter(role=MessageRole.BOT)
    searched = bot.filter(Q(intent="search_vehicles") | Q(payload__vehicles__0__isnull=False))
    planned = bot.filter(payload__financing__0__isnull=False)
    steps = [
        ("Conversaciones", conversation_ids),
        ("Buscaron autos", searched.values("conversation_id")),
        ("Recibieron un plan", planned.values("conversation_id")),
        ("Dejaron sus datos", leads.values("conversation_id")),
        ("Compraron", leads.filter(status=LeadStatus.WON).values("conversation_id")),
    ]
    funnel = []
    for label, ids in steps:
        count = Conversation.objects.filter(pk__in=ids).filter(pk__in=conversation_ids).count()
        funnel.append(FunnelStep(label, count, _share(count, total)))
    customer_turns = messages.filter(role=MessageRole.USER)
    return SalesFigures(
        conversations=total,
        funnel=funnel,
        top_makes=_asked(customer_turns, "make"),
        top_models=_asked(customer_turns, "make", "model"),
        leads=leads.count(),
        leads_by_status=_leads_by_status(leads),
    )


def _onboarding(messages: QuerySet[Message], start: dt.datetime, end: dt.datetime) -> OnboardingFigures:
    messages = messages.filter(conversation__assistant__kind=AssistantKind.ONBOARDING)
    replies = messages.filter(role=MessageRole.BOT, intent__in=QUESTION_INTENTS)
    answered = replies.filter(payload__faq__id__isnull=False).count()
    questions = replies.count()
    handed = Conversation.objects.filter(
        assistant__kind=AssistantKind.ONBOARDING, handoff_at__gte=start, handoff_at__lt=end
    )
    return OnboardingFigures(
        conversations=Conversation.objects.filter(pk__in=messages.values("conversation_id")).count(),
        questions=questions,
        answered=answered,
        unanswered=questions - answered,
        handoffs=handed.count(),
    )


def dashboard_kpis(*, kinds: Iterable[str], date_range: DateRange) -> DashboardKpis:
    """The KPIs of the assistants of those kinds over the date range (both ends included).

    Sales figures (funnel, leads, cars asked for) only count sales assistants and onboarding figures
    (questions answered) only onboarding ones; each is None when the user sees no assistant of that kind.
    """
    kinds = sorted(kinds)
    start, end = date_range.bounds()
    messages = Message.objects.filter(
        conversation__assistant__kind__in=kinds, created_at__gte=start, created_at__lt=end
    )
    conversations = Conversation.objects.filter(pk__in=messages.values("conversation_id"))
    role_counts = dict(messages.values_list("role").annotate(n=Count("pk")).order_by())
    intents = (
        messages.filter(role=MessageRole.USER)
        .exclude(intent="")
        .values_list("intent")
        .annotate(n=Count("pk"))
        .order_by("-n", "intent")
    )
    scoped = Conversation.objects.filter(assistant__kind__in=kinds)
    return DashboardKpis(
        date_range=date_range,
        conversations=conversations.count(),
        conversations_per_day=_per_day(messages, date_range),
        customer_messages=role_counts.get(MessageRole.USER, 0),
        bot_messages=role_counts.get(MessageRole.BOT, 0),
        staff_messages=role_counts.get(MessageRole.STAFF, 0),
        intents=list(intents),
        handoffs=scoped.filter(handoff_at__gte=start, handoff_at__lt=end).count(),
        waiting=scoped.filter(handoff=True).count(),
        response_times=_response_times(scoped, start, end),
        csat=_csat(conversations),
        nps=_nps(conversations),
        sales=_sales(messages, start, end) if AssistantKind.SALES in kinds else None,
        onboarding=_onboarding(messages, start, end) if AssistantKind.ONBOARDING in kinds else None,
    )
