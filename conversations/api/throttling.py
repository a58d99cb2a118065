"""Rate limits of the REST API, per sender and per API key: past either, 429 with Retry-After.

The sender (`from`) is whatever the client writes, so one key rotating numbers would never meet the
per-sender limit: the key's own limit bounds what one client can send.
"""

from django.conf import settings
from rest_framework.exceptions import Throttled

from conversations.models import ApiKey
from conversations.ratelimit import count_request


class ApiKeyThrottled(Throttled):
    """The key, not one sender, went over its limit."""


def sender_rate_check(sender: str) -> None:
    """Count one request from `sender`; raise Throttled (429 + Retry-After) past the per-minute limit."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return
    window = count_request("api", sender)
    if window.over(limit):
        raise Throttled(wait=window.retry_after)


def api_key_rate_check(api_key: ApiKey) -> None:
    """Count one request made with `api_key`; raise ApiKeyThrottled past API_KEY_RATE_LIMIT_PER_MINUTE."""
    limit = settings.API_KEY_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return
    window = count_request("api-key", str(api_key.pk))
    if window.over(limit):
        raise ApiKeyThrottled(wait=window.retry_after)
