"""Per-sender WhatsApp rate limit, counted where every process sees it (Redis, or else the database).

WhatsApp has no 429: a customer over the limit is told once to slow down, and the rest of the
burst is stored but not answered.
"""

import enum
import logging

from django.conf import settings
from redis.exceptions import RedisError

from conversations.ratelimit import count_request

logger = logging.getLogger(__name__)


class RateVerdict(enum.Enum):
    ALLOWED = "allowed"
    NOTIFY = "notify"  # the first message over the limit: answer with a notice
    SILENT = "silent"  # the rest of the burst: store, don't answer


def whatsapp_rate_check(sender: str) -> RateVerdict:
    """Count one message from `sender` in its one-minute window. A limit of 0 disables the limit."""
    limit = settings.WHATSAPP_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return RateVerdict.ALLOWED
    try:
        count = count_request("whatsapp", sender).count
    except RedisError as error:  # Redis down: answer rather than leave the customer unanswered
        logger.warning("WhatsApp rate limit not counted, the cache is unavailable: %s", error)
        return RateVerdict.ALLOWED
    if count <= limit:
        return RateVerdict.ALLOWED
    return RateVerdict.NOTIFY if count == limit + 1 else RateVerdict.SILENT
