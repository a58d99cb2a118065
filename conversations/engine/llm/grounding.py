"""The grounding guard: a model-written reply may only state figures and cars the turn's facts support.

Every price, payment, year, kilometre figure and percentage in the reply must match a value in
this turn's tool results (or plans the calculator already gave in this conversation, or the
assistant's own texts and financing settings), else the catalog; every car make or model the
catalog lacks must be one the customer named. The reply must not echo the system prompt's
instructions, and a lead's folio must be in it. Any miss is a `GroundingEvent`, and the turn
answers with the rules engine's reply instead.
"""

import functools
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from catalog.models import Vehicle
from catalog.vocabulary import get_vocabulary
from nlu.normalise import normalise
from nlu.numbers import KM, MONEY, MONTHS, NUMBER, PERCENT, YEAR, YEARS, find_amounts, words_to_digits
from nlu.vocabulary import Span, Vocabulary

ECHO_WORDS = 8  # this many words in a row from the instructions is an echo, not a coincidence
SMALL_NUMBER = 100  # below this, a bare number is a count or a list position
MAX_TOLERANCE = Decimal(500)  # "227 mil" stands for $226,999, not for $220,000
PERCENT_TOLERANCE = Decimal("0.05")
EXCERPT_CHARS = 40
SHORT_TEXT = 40  # shorter texts without digits are names, not sentences that could spell out a figure

MONEY_KEYS = frozenset(
    {"price", "min_price", "max_price", "down_payment", "loan_amount", "monthly_payment", "total_paid", "minimum"}
)
KM_KEYS = frozenset({"km", "max_km"})
YEAR_KEYS = frozenset({"year", "year_min", "year_max"})
SHARE_KEYS = frozenset({"annual_rate", "down_payment_pct", "default_down_payment_pct", "min_down_payment_pct"})


@dataclass(frozen=True)
class GroundingEvent:
    check: str  # money, km, year, percent, number, make_model, prompt_echo, missing_folio, empty
    value: str
    excerpt: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@dataclass
class Facts:
    """The figures and names a reply may state this turn."""

    money: set[Decimal] = field(default_factory=set)
    km: set[Decimal] = field(default_factory=set)
    years: set[Decimal] = field(default_factory=set)
    percents: set[Decimal] = field(default_factory=set)
    numbers: set[Decimal] = field(default_factory=set)  # stock ids and figures of unknown meaning
    texts: list[str] = field(default_factory=list)  # texts a missing make or model may be named in

    def absorb(self, value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for child_key, child in value.items():
                self.absorb(child, str(child_key))
        elif isinstance(value, list | tuple | set):
            for child in value:
                self.absorb(child, key)
        elif isinstance(value, bool) or value is None:
            return
        elif isinstance(value, int | float | Decimal):
            self._add(key, _decimal(value))
        elif isinstance(value, str):
            self._absorb_text(value, key)

    def _absorb_text(self, text: str, key: str) -> None:
        if key == "stock_id":
            self._add(key, _decimal(text.strip()))
            return
        self.texts.append(text)
        if len(text) < SHORT_TEXT and not any(char.isdigit() for char in text):
            return  # a make, a model, a body type: no figure in it
        for amount in find_amounts(words_to_digits(normalise(text))):
            value = _decimal(amount.value)
            if key in MONEY_KEYS | KM_KEYS | YEAR_KEYS:
                self._add(key, value)
            elif amount.kind == PERCENT:
                self.percents.add(value)
            else:
                self._add_kind(amount.kind, value)

    def _add(self, key: str, value: Decimal | None) -> None:
        if value is None:
            return
        if key in SHARE_KEYS:
            self.percents.add(value * 100 if value <= 1 else value)
        elif key in MONEY_KEYS:
            self.money.add(value)
        elif key in KM_KEYS:
            self.km.add(value)
        elif key in YEAR_KEYS:
            self.years.add(value)
        else:
            self.numbers.add(value)

    def _add_kind(self, kind: str, value: Decimal | None) -> None:
        target = {MONEY: self.money, KM: self.km, YEAR: self.years}.get(kind, self.numbers)
        if value is not None:
            target.add(value)

    def everything(self) -> set[Decimal]:
        return self.money | self.km | self.years | self.numbers


def _tolerance(value: Decimal) -> Decimal:
    """How far a figure may sit from the fact it quotes: as far as its own precision."""
    if value != value.to_integral_value():
        return Decimal("0.005")
    whole, zeros = int(value), 0
    while whole and whole % 10 == 0 and zeros < 3:
        whole //= 10
        zeros += 1
    return min(Decimal("0.5") * 10**zeros, MAX_TOLERANCE)


def _near(value: Decimal, known: Iterable[Decimal], tolerance: Decimal) -> bool:
    return any(abs(value - fact) <= tolerance for fact in known)


def _in_catalog(field_name: str, value: Decimal, tolerance: Decimal) -> bool:
    if field_name == "year":
        return Vehicle.objects.filter(year=int(value)).exists() if value == int(value) else False
    return Vehicle.objects.filter(**{f"{field_name}__range": (value - tolerance, value + tolerance)}).exists()


def _figure_grounded(kind: str, value: Decimal, facts: Facts, catalog: bool) -> bool:
    tolerance = _tolerance(value)
    if kind == PERCENT:
        return _near(value, facts.percents, PERCENT_TOLERANCE)
    if kind == YEAR:
        return value in facts.years or value in facts.numbers or (catalog and _in_catalog("year", value, tolerance))
    if kind == KM:
        return _near(value, facts.km | facts.numbers, tolerance) or (catalog and _in_catalog("km", value, tolerance))
    if kind == MONEY:
        return _near(value, facts.money | facts.numbers, tolerance) or (
            catalog and _in_catalog("price", value, tolerance)
        )
    return _near(value, facts.everything(), tolerance) or (catalog and _in_catalog("price", value, tolerance))


def _excerpt(text: str, start: int, end: int) -> str:
    return text[max(0, start - EXCERPT_CHARS) : end + EXCERPT_CHARS].strip()


def _figure_events(normalised: str, facts: Facts, catalog: bool) -> list[GroundingEvent]:
    events = []
    for amount in find_amounts(normalised):
        if amount.kind in (MONTHS, YEARS) or (amount.kind == NUMBER and amount.value < SMALL_NUMBER):
            continue
        value = _decimal(amount.value)
        if value is None or not _figure_grounded(amount.kind, value, facts, catalog):
            excerpt = _excerpt(normalised, amount.start, amount.end)
            events.append(GroundingEvent(amount.kind, normalised[amount.start : amount.end], excerpt))
    return events


def _unknown_names(vocabulary: Vocabulary, normalised: str) -> list[Span]:
    return [span for span in vocabulary.find(normalised).spans if span.kind.startswith("unknown")]


def _name_events(normalised: str, user_text: str, facts: Facts) -> list[GroundingEvent]:
    """Makes and models the catalog lacks may be named only when the customer (or a tool's answer) named them."""
    vocabulary = get_vocabulary()
    named = _unknown_names(vocabulary, normalised)
    if not named:
        return []
    sources = normalise(" \n ".join([user_text, *facts.texts]))
    allowed = {span.value.casefold() for span in _unknown_names(vocabulary, sources)}
    return [
        GroundingEvent("make_model", span.value, _excerpt(normalised, span.start, span.end))
        for span in named
        if span.value.casefold() not in allowed
    ]


@functools.lru_cache(maxsize=8)
def _shingles(text: str, size: int = ECHO_WORDS) -> frozenset[tuple[str, ...]]:
    words = normalise(text).split()
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def _echo_events(reply: str, instructions: str) -> list[GroundingEvent]:
    shared = _shingles(reply) & _shingles(instructions)
    if not shared:
        return []
    return [GroundingEvent("prompt_echo", " ".join(sorted(shared)[0]))]


def check_reply(
    reply: str,
    *,
    facts: Facts,
    user_text: str,
    instructions: str,
    folio: str | None = None,
    sales: bool = True,
) -> list[GroundingEvent]:
    """Every way the reply goes beyond the turn's facts; an empty list means it may be sent."""
    if not reply.strip():
        return [GroundingEvent("empty", "")]
    normalised = words_to_digits(normalise(reply))
    events = _figure_events(normalised, facts, catalog=sales)
    if sales:
        events += _name_events(normalise(reply), user_text, facts)
    events += _echo_events(reply, instructions)
    if folio and folio.casefold() not in reply.casefold():
        events.append(GroundingEvent("missing_folio", folio))
    return events
