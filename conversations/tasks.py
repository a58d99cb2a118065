"""Celery tasks (`celery -A kvky_site worker`): thin callers of the WhatsApp channel's services.

Both may run more than once for the same message (retries, a redelivery after a worker dies);
the services make sure the customer still gets one reply, sent once.
"""

from celery import shared_task
from django.db import OperationalError

from conversations.channels.inbound import inbound_reply
from conversations.channels.outbound import DeliveryPostponed, delivery_give_up, message_deliver

DELIVERY_MAX_RETRIES = 6
DELIVERY_BACKOFF_SECONDS = 5  # 5, 10, 20, 40, 80, 160 s: about five minutes in all
DELIVERY_BACKOFF_MAX_SECONDS = 300


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def reply_to_inbound(message_id: int) -> None:
    """Async mode: answer a stored customer message and queue the reply's delivery."""
    inbound_reply(message_id)


@shared_task(bind=True, max_retries=DELIVERY_MAX_RETRIES)
def deliver_message(self, message_id: int) -> None:
    """Hand a stored outbound message to Twilio; retry with backoff while Twilio cannot take it."""
    try:
        message_deliver(message_id)
    except DeliveryPostponed as error:
        if self.request.retries >= self.max_retries:
            delivery_give_up(message_id, str(error))
            return
        raise self.retry(exc=error, countdown=delivery_backoff(self.request.retries)) from error


def delivery_backoff(retries: int) -> int:
    return min(DELIVERY_BACKOFF_SECONDS * 2**retries, DELIVERY_BACKOFF_MAX_SECONDS)
