"""Structured logs: one JSON object a line, with the request id, and phone numbers masked.

Wired in settings.LOGGING (formatter `kvky_site.logging.JsonFormatter`, filter
`kvky_site.logging.RequestIdFilter`); the request id comes from `kvky_site.request_id`.
"""

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from conversations.phones import phone_spans
from kvky_site.request_id import current_request_id

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
    pieces, cursor = [], 0
    for start, end in phone_spans(text):
        span = text[start:end]
        digits = re.sub(r"\D", "", span)
        pieces += [text[cursor:start], mask_phone(f"+{digits}" if span.startswith("+") else digits)]
        cursor = end
    return "".join(pieces) + text[cursor:]


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
