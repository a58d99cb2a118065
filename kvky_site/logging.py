"""Structured logs: one JSON object a line, with the request id, and phone numbers masked.

Wired in settings.LOGGING (formatter `kvky_site.logging.JsonFormatter`, filter
`kvky_site.logging.RequestIdFilter`); the request id comes from `kvky_site.request_id`.
"""

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from conversations.phones import phone_e164
from kvky_site.request_id import current_request_id

# Numbers as people and clients write them: digit groups, "(55)" area codes and a leading "+", joined
# by one space, dot or hyphen ("+52 55 1234 9876", "(55) 1234 9878", "52-55-1234-9876", "+5215512349876").
_NUMBER_TOKEN = r"\+?(?:\(\d{1,4}\)|\d+)"
NUMBER_CLUSTER = re.compile(rf"(?<![\w+]){_NUMBER_TOKEN}(?:(?:[ .\-]|(?<=\))){_NUMBER_TOKEN})*(?!\d)")
_NUMBER_TOKEN_PATTERN = re.compile(_NUMBER_TOKEN)
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 10, 15
KEEP_LEADING_DIGITS = 5
KEEP_TRAILING_DIGITS = 4

# Attributes every LogRecord has; whatever else a record carries came in through `extra=`.
_STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None)).keys() | {"message", "asctime", "request_id"}
)


def mask_phone(number: str) -> str:
    """+5215512345678 -> +52155****5678: enough to tell numbers apart in a log, not to dial one."""
    plus = "+" if number.startswith("+") else ""
    digits = number.removeprefix("+")
    return f"{plus}{digits[:KEEP_LEADING_DIGITS]}****{digits[-KEEP_TRAILING_DIGITS:]}"


def mask_phones(text: str) -> str:
    """Mask every phone number inside a free text (a sender such as `whatsapp:+52…`, a message)."""
    return NUMBER_CLUSTER.sub(lambda match: _mask_cluster(match.group(0)), text)


def phone_spans(text: str) -> list[tuple[int, int]]:
    """Where phone numbers are in a text, in any format the API accepts, as (start, end) offsets."""
    spans = []
    for match in NUMBER_CLUSTER.finditer(text):
        spans.extend((match.start() + start, match.start() + end) for start, end in _phone_spans_in(match.group(0)))
    return spans


def _mask_cluster(cluster: str) -> str:
    masked, cursor = [], 0
    for start, end in _phone_spans_in(cluster):
        span = cluster[start:end]
        digits = re.sub(r"\D", "", span)
        masked += [cluster[cursor:start], mask_phone(f"+{digits}" if span.startswith("+") else digits)]
        cursor = end
    return "".join(masked) + cluster[cursor:]


def _phone_spans_in(cluster: str) -> list[tuple[int, int]]:
    """The longest runs of groups, leftmost first, that make a phone; the rest (years, prices, ids) stays."""
    tokens = [(token.start(), token.end()) for token in _NUMBER_TOKEN_PATTERN.finditer(cluster)]
    spans, first = [], 0
    while first < len(tokens):
        last = next(
            (
                last
                for last in range(len(tokens), first, -1)
                if _is_phone(cluster[tokens[first][0] : tokens[last - 1][1]], one_group=last - first == 1)
            ),
            None,
        )
        if last is None:
            first += 1
            continue
        spans.append((tokens[first][0], tokens[last - 1][1]))
        first = last
    return spans


def _is_phone(span: str, *, one_group: bool) -> bool:
    if not PHONE_MIN_DIGITS <= sum(char.isdigit() for char in span) <= PHONE_MAX_DIGITS:
        return False
    # 10 to 15 digits in a row or after a "+" are a phone as channels send it; grouped digits must be
    # a valid number, so "2021 2022 2023" or an IP address is left alone.
    return one_group or span.startswith("+") or phone_e164(span) is not None


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_phones(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being served ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # django.request logs 4xx/5xx after the middleware has returned: read the id off the request.
            request = getattr(record, "request", None)
            record.request_id = current_request_id() or getattr(request, "request_id", None) or "-"
        return True


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON line: time, level, logger, message, request id, and the `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id() or "-",
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(_masked(entry), ensure_ascii=False, default=str)


class MaskedTextFormatter(logging.Formatter):
    """Plain-text lines for a developer's console (LOG_FORMAT=text), with phone numbers masked all the same."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_phones(super().format(record))
