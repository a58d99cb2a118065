"""Dialogue state: small, typed, JSON-serialisable, stored on the conversation."""

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class DialogueState:
    focus_stock_id: str | None = None  # the vehicle in focus
    last_search: dict[str, Any] = field(default_factory=dict)  # filters of the last search
    last_results: list[str] = field(default_factory=list)  # stock ids of the last search, cheapest first
    term_months: int | None = None  # a term the customer stated; stays until changed
    down_payment: float | None = None  # a down payment in pesos the customer stated
    down_payment_pct: float | None = None  # or as a share of the price
    last_plans: list[dict[str, Any]] = field(default_factory=list)
    faq_in_focus: int | None = None
    pending: str | None = None  # the question the bot is waiting an answer for
    misunderstood: int = 0  # turns in a row the bot could not understand
    last_intent: str | None = None
    last_discussed: list[str] = field(default_factory=list)  # the cars the last answer was about
    last_attributes: list[str] = field(default_factory=list)  # what the last details question asked
    rating_asked: str | None = None  # "csat" or "nps" while waiting for a score
    lead_waiting_phone: str | None = None  # folio of a web lead whose phone we asked for
    survey_done: bool = False  # the survey is asked once per conversation
    csat_score: int | None = None
    nps_score: int | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "DialogueState":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
