"""Celery tasks (`celery -A kvky_site worker`): thin callers of the WhatsApp channel's services.

Both may run more than once for the same message (retries, a redelivery after a worker dies);
the services make sure the customer still gets one reply, sent once.
"""

import logging

from celery import Task, shared_task
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerUnavailable

from conversations.channels.inbound import inbound_reply
from conversations.channels.outbound import DeliveryPostponed, delivery_give_up, message_deliver

logger = logging.getLogger(__name__)

DELIVERY_MAX_RETRIES = 6
DELIVERY_BACKOFF_SECONDS = 5  # 5, 10, 20, 40, 80, 160 s: about five minutes in all
DELIVERY_BACKOFF_MAX_SECONDS = 300


# acks_late + reject_on_worker_lost: a worker killed mid-task leaves the task on the queue, and it runs again.
@shared_task(
    autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True, reject_on_worker_lost=True
)
def reply_to_inbound(message_id: int) -> None:
    """Async mode: answer a stored customer message and queue the reply's delivery."""
    inbound_reply(message_id)


@shared_task(bind=True, max_retries=DELIVERY_MAX_RETRIES, acks_late=True, reject_on_worker_lost=True)
def deliver_message(self, message_id: int) -> None:
    """Hand a stored outbound message to Twilio; retry with backoff while Twilio cannot take it."""
    try:
        message_deliver(message_id)
    except DeliveryPostponed as error:
        if self.request.retries >= self.max_retries:
            delivery_give_up(message_id, str(error))
            return
        raise self.retry(exc=error, countdown=delivery_backoff(self.request.retries)) from error


WEBHOOK_MAX_RETRIES = 6


@shared_task(bind=True, max_retries=WEBHOOK_MAX_RETRIES, acks_late=True, reject_on_worker_lost=True)
def deliver_webhook(self, delivery_id: int) -> None:
    """POST an event to an API key's webhook; retry with exponential backoff while the receiver fails."""
    from conversations.webhooks import WebhookPostponed, webhook_deliver, webhook_give_up

    try:
        webhook_deliver(delivery_id)
    except WebhookPostponed as error:
        if self.request.retries >= self.max_retries:
            webhook_give_up(delivery_id)
            return
        raise self.retry(exc=error, countdown=delivery_backoff(self.request.retries)) from error


@shared_task(acks_late=True)
def answer_unanswered() -> int:
    """Celery beat, every minute: answer the WhatsApp messages a failure left unanswered."""
    from conversations.channels.inbound import inbound_sweep_from_settings

    return inbound_sweep_from_settings()


def delivery_backoff(retries: int) -> int:
    return min(DELIVERY_BACKOFF_SECONDS * 2**retries, DELIVERY_BACKOFF_MAX_SECONDS)


def task_enqueue(task: Task, *args: object) -> None:
    """Queue a task; with the broker (Redis) unreachable, run it here and now instead.

    A customer's message is never left unanswered because the queue is down: the web process
    answers it itself (slower, but answered), through the same idempotent services.
    """
    try:
        task.delay(*args)
    except BrokerUnavailable as error:
        logger.warning("Broker unavailable (%s): running %s in-process.", error, task.name)
        task.apply(args=args)
