"""Webhooks of API keys: staff replies and handoffs on a key's conversations, POSTed to the key's URL.

The body is JSON, built once when the event happens and signed with HMAC-SHA256 under the key's webhook
secret: `X-KVKy-Signature: sha256=<hex of HMAC(secret, raw body)>`. The Celery task `deliver_webhook`
sends it and retries with exponential backoff while the receiver fails.
"""

import hashlib
import hmac
import json
import logging
import secrets
from typing import Any

import requests
from django.db import transaction
from django.utils import timezone

from conversations.models import ApiKey, Conversation, Message, WebhookDelivery, WebhookStatus

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-KVKy-Signature"
SECRET_BYTES = 32
TIMEOUT_SECONDS = (3.05, 10)  # connect, read
# A receiver that answers one of these may take the same body later; any other 4xx never will.
RETRYABLE_CLIENT_ERRORS = frozenset({408, 409, 425, 429})


class WebhookPostponed(Exception):
    """The receiver did not take the event this time; the task tries again later."""


def webhook_secret_new() -> str:
    return "whsec_" + secrets.token_urlsafe(SECRET_BYTES)


def webhook_sign(secret: str, body: bytes) -> str:
    """The signature header's value for `body`: receivers compute the same and compare in constant time."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def api_key_webhook_set(api_key: ApiKey, *, url: str) -> str | None:
    """Set (or clear) the key's webhook URL; return a new secret, to show once, when the key had none."""
    api_key.webhook_url = url.strip()
    new_secret = None
    if api_key.webhook_url and not api_key.webhook_secret:
        new_secret = api_key.webhook_secret = webhook_secret_new()
    ApiKey.objects.filter(pk=api_key.pk).update(webhook_url=api_key.webhook_url, webhook_secret=api_key.webhook_secret)
    return new_secret


def api_key_webhook_secret_rotate(api_key: ApiKey) -> str:
    """Replace the key's webhook secret; the new one is returned to show once. Queued events sign with it."""
    api_key.webhook_secret = webhook_secret_new()
    ApiKey.objects.filter(pk=api_key.pk).update(webhook_secret=api_key.webhook_secret)
    return api_key.webhook_secret


def message_json(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "role": message.role,
        "text": message.text,
        "created_at": message.created_at.isoformat(),
    }


def webhook_event_queue(
    conversation: Conversation, event: str, *, message: Message | None = None
) -> WebhookDelivery | None:
    """Record the event for the key that started the conversation and queue its delivery once the
    surrounding transaction commits; None when no webhook listens."""
    api_key = _listening_key(conversation)
    if api_key is None:
        return None
    delivery = WebhookDelivery.objects.create(
        api_key=api_key, conversation=conversation, message=message, event=event, url=api_key.webhook_url, body=""
    )
    payload = {
        "event": event,
        "delivery": delivery.pk,
        "occurred_at": timezone.now().isoformat(),
        "conversation": str(conversation.pk),
        "assistant": conversation.assistant.slug,
        "from": conversation.sender,
        "message": message_json(message) if message is not None else None,
    }
    delivery.body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(body=delivery.body)
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery


def _listening_key(conversation: Conversation) -> ApiKey | None:
    if conversation.api_key_id is None:
        return None
    api_key = ApiKey.objects.filter(pk=conversation.api_key_id, is_active=True).exclude(webhook_url="").first()
    return api_key if api_key is not None and api_key.webhook_secret else None


def _enqueue(delivery_id: int) -> None:
    from conversations.tasks import deliver_webhook, task_enqueue

    task_enqueue(deliver_webhook, delivery_id)


def webhook_deliver(delivery_id: int) -> None:
    """POST the event once; raise WebhookPostponed when the receiver may take it on a later try."""
    delivery = WebhookDelivery.objects.select_related("api_key").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (WebhookStatus.DELIVERED, WebhookStatus.FAILED):
        return  # a redelivered task: already settled
    body = delivery.body.encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "KVKy-Webhook/1",
        "X-KVKy-Event": delivery.event,
        "X-KVKy-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: webhook_sign(delivery.api_key.webhook_secret, body),
    }
    attempts = delivery.attempts + 1
    try:
        response = requests.post(
            delivery.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False
        )
    except requests.RequestException as error:
        _record_failure(delivery, attempts, f"sin conexión: {type(error).__name__}", retry=True)
        raise WebhookPostponed(str(error)) from error
    if 200 <= response.status_code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookStatus.DELIVERED, attempts=attempts, last_error="", delivered_at=timezone.now()
        )
        return
    retry = response.status_code >= 500 or response.status_code in RETRYABLE_CLIENT_ERRORS
    _record_failure(delivery, attempts, f"respondió HTTP {response.status_code}", retry=retry)
    if retry:
        raise WebhookPostponed(f"HTTP {response.status_code}")


def webhook_give_up(delivery_id: int) -> None:
    """The retries ran out: the event stays failed (the transcript shows it)."""
    WebhookDelivery.objects.filter(pk=delivery_id).exclude(status=WebhookStatus.DELIVERED).update(
        status=WebhookStatus.FAILED
    )


def _record_failure(delivery: WebhookDelivery, attempts: int, error: str, *, retry: bool) -> None:
    logger.warning("Webhook delivery %s failed (attempt %s): %s", delivery.pk, attempts, error)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookStatus.RETRYING if retry else WebhookStatus.FAILED, attempts=attempts, last_error=error[:200]
    )
