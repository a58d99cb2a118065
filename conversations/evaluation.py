"""Golden conversations: checks and metrics as ../shared/spec/golden-format.md defines them.

Pure functions over a turn's expectations and its result dict (TurnResult.as_dict()),
so the same checks serve the `evaluate` command and the tests.
"""

import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

TOOL_KEYS = (
    "vehicles_include",
    "vehicles_exclude",
    "vehicles_where",
    "vehicles_count",
    "no_vehicles",
    "financing",
    "no_financing",
    "faq_question",
    "lead",
)


def norm(value: object) -> str:
    text = unicodedata.normalize("NFKD", str(value).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]", "", text)


def same(expected: object, got: object) -> bool:
    if got is None:
        return False
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected == got
    if isinstance(expected, (int, float)):
        try:
            return abs(float(got) - float(expected)) <= 0.5
        except (TypeError, ValueError):
            return False
    if isinstance(expected, list):
        return isinstance(got, list) and sorted(map(norm, expected)) == sorted(map(norm, got))
    return norm(expected) == norm(got)


def _vehicle_ok(vehicle: dict[str, Any], where: dict[str, Any]) -> bool:
    bounds = {
        "max_price": ("price", lambda got, want: got <= want),
        "min_price": ("price", lambda got, want: got >= want),
        "year_min": ("year", lambda got, want: got >= want),
        "year_max": ("year", lambda got, want: got <= want),
        "max_km": ("km", lambda got, want: got <= want),
    }
    for key, want in where.items():
        if key in ("make", "model"):
            if norm(vehicle.get(key, "")) != norm(want):
                return False
        elif key in bounds:
            field_name, holds = bounds[key]
            if not holds(float(vehicle[field_name]), want):
                return False
    return True


def _plan_ok(plan: dict[str, Any], want: dict[str, Any]) -> bool:
    for key, value in want.items():
        if isinstance(value, (int, float)):
            if plan.get(key) is None or abs(float(plan[key]) - value) > 0.01:
                return False
        elif norm(plan.get(key, "")) != norm(value):
            return False
    return True


def check_turn(turn: dict[str, Any], result: dict[str, Any]) -> dict[str, list[str]]:
    """{group: [failure, …]} for each group ("intent", "slots", "tool", "reply") the turn checks."""
    out: dict[str, list[str]] = {}

    def fail(group: str, message: str) -> None:
        out.setdefault(group, []).append(message)

    if "intent" in turn:
        out.setdefault("intent", [])
        wanted = turn["intent"] if isinstance(turn["intent"], list) else [turn["intent"]]
        if result.get("intent") not in wanted:
            fail("intent", f"intent {result.get('intent')!r} not in {wanted}")
    if "slots" in turn:
        out.setdefault("slots", [])
        got = result.get("slots") or {}
        for key, value in turn["slots"].items():
            if not same(value, got.get(key)):
                fail("slots", f"slot {key}: want {value!r} got {got.get(key)!r}")
    if any(key in turn for key in TOOL_KEYS):
        out.setdefault("tool", [])
        for message in _tool_failures(turn, result):
            fail("tool", message)
    for message in _reply_failures(turn, result):
        fail("reply", message)
    return out


def _tool_failures(turn: dict[str, Any], result: dict[str, Any]) -> list[str]:
    failures = []
    vehicles = result.get("vehicles") or []
    models = {norm(vehicle.get("model", "")) for vehicle in vehicles}
    plans = result.get("financing") or []
    failures += [
        f"vehicle {m} missing from {sorted(models)}" for m in turn.get("vehicles_include", []) if norm(m) not in models
    ]
    failures += [f"vehicle {m} should not be returned" for m in turn.get("vehicles_exclude", []) if norm(m) in models]
    if "vehicles_where" in turn:
        bad = [v for v in vehicles if not _vehicle_ok(v, turn["vehicles_where"])]
        if bad:
            failures.append(f"{len(bad)} vehicles break {turn['vehicles_where']}")
    if "vehicles_count" in turn and len(vehicles) != turn["vehicles_count"]:
        failures.append(f"{len(vehicles)} vehicles, want {turn['vehicles_count']}")
    if turn.get("no_vehicles") and vehicles:
        failures.append(f"{len(vehicles)} vehicles, want none")
    if "financing" in turn and not any(_plan_ok(plan, turn["financing"]) for plan in plans):
        got = [(plan.get("term_months"), plan.get("monthly_payment")) for plan in plans]
        failures.append(f"no plan matches {turn['financing']}; got {got}")
    if turn.get("no_financing") and plans:
        failures.append(f"{len(plans)} plans, want none")
    if "faq_question" in turn:
        faq = result.get("faq") or {}
        if norm(faq.get("question", "")) != norm(turn["faq_question"]):
            failures.append(f"faq {faq.get('question')!r}, want {turn['faq_question']!r}")
    folio = (result.get("lead") or {}).get("folio")
    if turn.get("lead") and (not folio or folio.casefold() not in (result.get("reply") or "").casefold()):
        failures.append(f"lead folio {folio!r} missing or not in reply")
    elif turn.get("lead") is False and result.get("lead"):
        failures.append("a lead was created, want none")
    return failures


def _reply_failures(turn: dict[str, Any], result: dict[str, Any]) -> list[str]:
    reply = (result.get("reply") or "").casefold()
    failures = []
    if "handoff" in turn and bool(result.get("handoff")) != turn["handoff"]:
        failures.append(f"handoff {result.get('handoff')}, want {turn['handoff']}")
    failures += [f"reply lacks {s!r}" for s in turn.get("reply_contains", []) if s.casefold() not in reply]
    wanted_any = turn.get("reply_contains_any")
    if wanted_any and not any(s.casefold() in reply for s in wanted_any):
        failures.append(f"reply has none of {wanted_any}")
    failures += [f"reply has {s!r}" for s in turn.get("reply_excludes", []) if s.casefold() in reply]
    return failures


@dataclass
class TurnOutcome:
    conversation_id: str
    index: int
    user: str
    expected: dict[str, Any]
    result: dict[str, Any]
    failures: dict[str, list[str]]
    latency_s: float

    @property
    def ok(self) -> bool:
        return not any(self.failures.values())


@dataclass
class Scoreboard:
    outcomes: list[TurnOutcome] = field(default_factory=list)

    def add(self, outcome: TurnOutcome) -> None:
        self.outcomes.append(outcome)

    def _rate(self, group: str) -> float | None:
        checked = [o for o in self.outcomes if group in o.failures]
        if not checked:
            return None
        return sum(1 for o in checked if not o.failures[group]) / len(checked)

    def metrics(self) -> dict[str, Any]:
        conversations: dict[str, bool] = {}
        for outcome in self.outcomes:
            conversations[outcome.conversation_id] = conversations.get(outcome.conversation_id, True) and outcome.ok
        slot_rate = self._rate("slots")
        latencies = sorted(o.latency_s * 1000 for o in self.outcomes)
        return {
            "conversations": len(conversations),
            "turns": len(self.outcomes),
            "intent_accuracy": _round(self._rate("intent")),
            "slot_error_rate": _round(None if slot_rate is None else 1 - slot_rate),
            "tool_accuracy": _round(self._rate("tool")),
            "pass_rate": _round(sum(conversations.values()) / len(conversations) if conversations else None),
            "latency_ms": {
                "p50": _round(percentile(latencies, 0.50), 2),
                "p95": _round(percentile(latencies, 0.95), 2),
                "max": _round(latencies[-1] if latencies else None, 2),
            },
        }

    def confusion(self) -> dict[str, Counter]:
        """expected intent -> Counter of intents returned."""
        matrix: dict[str, Counter] = defaultdict(Counter)
        for outcome in self.outcomes:
            expected = outcome.expected.get("intent")
            if expected is None:
                continue
            key = expected if isinstance(expected, str) else "|".join(expected)
            matrix[key][outcome.result.get("intent", "?")] += 1
        return dict(matrix)

    def failing(self) -> list[TurnOutcome]:
        return [o for o in self.outcomes if not o.ok]


def percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1)))]


def milliseconds_summary(seconds: list[float]) -> str:
    """p50, p95, mean and max of durations given in seconds, in milliseconds (the benchmarks' lines)."""
    ordered = sorted(value * 1000 for value in seconds)
    if not ordered:
        return "no samples"
    return (
        f"p50 {percentile(ordered, 0.5):8.1f}  p95 {percentile(ordered, 0.95):8.1f}  "
        f"mean {statistics.fmean(ordered):8.1f}  max {ordered[-1]:8.1f} ms  ({len(ordered)} samples)"
    )


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)
