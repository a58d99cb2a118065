"""Per-sender rate limit of the REST API: past the limit, 429 with Retry-After."""

from django.conf import settings
from rest_framework.exceptions import Throttled

from conversations.ratelimit import count_request


def sender_rate_check(sender: str) -> None:
    """Count one request from `sender`; raise Throttled (429 + Retry-After) past the per-minute limit."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return
    window = count_request("api", sender)
    if window.over(limit):
        raise Throttled(wait=window.retry_after)
