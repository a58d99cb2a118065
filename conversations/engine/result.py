"""The one result shape of a turn: what the API returns, TwiML and the web chat render,
and `evaluate` checks."""

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class TurnResult:
    reply: str
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    vehicles_total: int = 0
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    financing: list[dict[str, Any]] = field(default_factory=list)
    faq: dict[str, Any] | None = None
    lead: dict[str, Any] | None = None
    handoff: bool = False
    conversation: str = ""
    assistant: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {"conversation": data.pop("conversation"), "assistant": data.pop("assistant"), **data}
