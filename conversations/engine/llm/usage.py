"""What the model path cost over a set of bot messages: calls, tokens, latency, and why the rules answered."""

from collections import Counter
from typing import Any

from django.db.models import QuerySet

from conversations.models import Message, MessageRole


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))], 2)


def usage_summary(messages: QuerySet[Message]) -> dict[str, Any]:
    rows = list(
        messages.filter(role=MessageRole.BOT).values_list(
            "llm_calls", "llm_prompt_tokens", "llm_completion_tokens", "llm_latency_ms", "llm_fallback"
        )
    )
    turns = len(rows)
    calls = [row[0] for row in rows]
    latencies = [row[3] for row in rows if row[3] is not None]
    fallbacks = Counter(row[4] for row in rows if row[4])
    return {
        "turns": turns,
        "model_calls": sum(calls),
        "calls_per_turn": round(sum(calls) / turns, 3) if turns else None,
        "max_calls_in_a_turn": max(calls, default=0),
        "prompt_tokens": sum(row[1] for row in rows),
        "completion_tokens": sum(row[2] for row in rows),
        "model_latency_ms": {"p50": _percentile(latencies, 0.5), "p95": _percentile(latencies, 0.95)},
        "rules_answered": sum(fallbacks.values()),
        "fallbacks": dict(fallbacks.most_common()),
    }
