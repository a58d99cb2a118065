"""API keys for REST clients: create one (shown once) and verify one (by its SHA-256).

A key reads `<prefix>.<secret>`. The prefix is stored in clear so a key can be found by an
indexed lookup and recognised in the admin; only the hash of the whole key is stored.
"""

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from conversations.models import ApiKey, Assistant
from conversations.webhooks import webhook_secret_new
from kvky_site.watched_cache import WatchedCache

PREFIX_BYTES = 4  # 8 hex characters
SECRET_BYTES = 32
MAX_KEY_LENGTH = 128  # longer "keys" are rejected before hashing anything
# Writing last_used_at on every request would turn each API call into a DB write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyNameTaken(Exception):
    """Another key already has this name."""


class AssistantForbidden(Exception):
    """The key is limited to other assistants. `code` is the API's error code."""

    code = "assistant_forbidden"

    def __init__(self, assistant: Assistant) -> None:
        self.detail = f"Tu llave de API no tiene acceso al asistente «{assistant.slug}»."
        super().__init__(self.detail)


def api_key_assistant_check(api_key: ApiKey, assistant: Assistant) -> None:
    """Raise AssistantForbidden unless the key may talk to `assistant` (a key with no assistants may talk to all).

    Read from the database on every request, not from the key cache: narrowing a key takes effect at once.
    """
    allowed = set(api_key.assistants.values_list("pk", flat=True))
    if allowed and assistant.pk not in allowed:
        raise AssistantForbidden(assistant)


def api_key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def api_key_create(*, name: str, assistants: Iterable[Assistant] = (), webhook_url: str = "") -> tuple[ApiKey, str]:
    """Create a key called `name`, limited to `assistants` (none: all), with an optional webhook; return the
    stored row and the raw key (not recoverable later). A webhook's new secret is on `api_key.webhook_secret`,
    for the caller to show once."""
    name = name.strip()
    if not name:
        raise ValueError("El nombre de la llave no puede estar vacío.")
    if ApiKey.objects.filter(name=name).exists():
        raise ApiKeyNameTaken(name)
    prefix = secrets.token_hex(PREFIX_BYTES)
    raw_key = f"{prefix}.{secrets.token_urlsafe(SECRET_BYTES)}"
    try:
        with transaction.atomic():
            api_key = ApiKey.objects.create(name=name, prefix=prefix, hashed_key=api_key_hash(raw_key))
            api_key.assistants.set(list(assistants))
            if webhook_url.strip():
                api_key.webhook_url = webhook_url.strip()
                api_key.webhook_secret = webhook_secret_new()
                api_key.save(update_fields=["webhook_url", "webhook_secret"])
    except IntegrityError as error:  # a concurrent create with the same name
        raise ApiKeyNameTaken(name) from error
    return api_key, raw_key


def api_key_verify(raw_key: str) -> ApiKey | None:
    """The active key matching `raw_key`, or None. Compares hashes in constant time."""
    prefix, dot, _secret = raw_key.partition(".")
    if not dot or not prefix or len(raw_key) > MAX_KEY_LENGTH:
        return None
    hashed = api_key_hash(raw_key)
    for candidate in _active_keys.get(prefix):
        if hmac.compare_digest(candidate.hashed_key, hashed):
            _touch(candidate)
            return candidate
    return None


def _keys_fingerprint(_prefix: str) -> tuple[object, ...]:
    """Any key created, deleted, revoked or restored changes it."""
    return tuple(
        ApiKey.objects.order_by()
        .aggregate(count=Count("id"), active=Count("id", filter=Q(is_active=True)), top=Max("id"))
        .values()
    )


def _load_active_keys(prefix: str) -> list[ApiKey]:
    return list(ApiKey.objects.filter(prefix=prefix, is_active=True))


# Verified per process without a query per request; a key revoked through another process stops
# working within ENGINE_CACHE_RECHECK_SECONDS, one revoked in this process at once (signals).
_active_keys: WatchedCache[str, list[ApiKey]] = WatchedCache(fingerprint=_keys_fingerprint, build=_load_active_keys)


def invalidate_api_keys() -> None:
    _active_keys.invalidate()


def api_keys_set_active(api_keys: QuerySet[ApiKey], *, active: bool) -> int:
    """Revoke (or restore) keys; this process refuses a revoked key at once, the others within the recheck."""
    changed = api_keys.exclude(is_active=active).update(is_active=active)
    invalidate_api_keys()
    return changed


def _touch(api_key: ApiKey) -> None:
    now = timezone.now()
    if api_key.last_used_at is not None and now - api_key.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now
