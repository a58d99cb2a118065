"""Staff replies and handoffs on an API conversation, POSTed to the key's webhook (a loopback receiver)."""

import hashlib
import hmac
import json

import pytest
from django.contrib.auth import get_user_model

from conversations.api_keys import api_key_create
from conversations.models import Conversation, WebhookDelivery, WebhookStatus
from conversations.services import conversation_release, staff_reply
from conversations.tasks import WEBHOOK_MAX_RETRIES
from conversations.tests.factories import AssistantFactory

pytestmark = pytest.mark.django_db

SENDER = "+5215512345678"


@pytest.fixture
def kvky():
    return AssistantFactory()


@pytest.fixture
def hooked_key(webhook_receiver):
    api_key, raw_key = api_key_create(name="crm", webhook_url=webhook_receiver.url)
    return api_key, raw_key


@pytest.fixture
def chat(client, hooked_key, django_capture_on_commit_callbacks):
    """POST a message with the webhook's key; events queued by the turn are delivered at its commit."""

    def post(message: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/api/v1/chat",
                data=json.dumps({"assistant": "kvky", "from": SENDER, "message": message}),
                content_type="application/json",
                headers={"Authorization": f"Api-Key {hooked_key[1]}"},
            )

    return post


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("ana", password="x")


@pytest.fixture
def reply(staff, django_capture_on_commit_callbacks):
    def send(conversation: Conversation, text: str):
        with django_capture_on_commit_callbacks(execute=True):
            return staff_reply(conversation, text, staff)

    return send


@pytest.fixture
def conversation(chat, kvky):
    chat("hola")
    return Conversation.objects.get()


@pytest.fixture
def taken(conversation, reply, webhook_receiver):
    """A conversation staff already took (its handoff event delivered): the next event is the reply alone."""
    reply(conversation, "Hola, soy Ana.")
    webhook_receiver.requests.clear()
    return conversation


def events(receiver) -> list[str]:
    return [json.loads(received.body)["event"] for received in receiver.requests]


def test_it_posts_a_staff_reply_to_the_webhook(conversation, reply, webhook_receiver):
    message = reply(conversation, "Hola, soy Ana; te ayudo con el Onix.")
    body = json.loads(webhook_receiver.requests[-1].body)
    assert (body["event"], body["conversation"], body["message"]["id"], body["message"]["text"]) == (
        "staff_reply",
        str(conversation.pk),
        message.pk,
        "Hola, soy Ana; te ayudo con el Onix.",
    )


def test_it_signs_the_raw_body_with_the_key_secret(conversation, reply, webhook_receiver, hooked_key):
    reply(conversation, "Hola")
    received = webhook_receiver.requests[-1]
    expected = "sha256=" + hmac.new(hooked_key[0].webhook_secret.encode(), received.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(received.headers["X-KVKy-Signature"], expected)


def test_it_names_the_event_and_the_delivery_in_headers(conversation, reply, webhook_receiver):
    reply(conversation, "Hola")
    headers = webhook_receiver.requests[-1].headers
    delivery = WebhookDelivery.objects.get(event="staff_reply")
    assert (headers["X-KVKy-Event"], headers["X-KVKy-Delivery"]) == ("staff_reply", str(delivery.pk))


def test_it_posts_the_handoff_when_staff_take_over_by_replying(conversation, reply, webhook_receiver):
    reply(conversation, "Hola")
    assert events(webhook_receiver) == ["handoff", "staff_reply"]


def test_it_posts_the_handoff_the_customer_asks_for(chat, kvky, webhook_receiver):
    chat("quiero hablar con una persona")
    assert events(webhook_receiver) == ["handoff"]


def test_it_posts_one_handoff_while_the_conversation_stays_with_staff(conversation, reply, webhook_receiver):
    reply(conversation, "Hola")
    reply(conversation, "¿Sigues ahí?")
    assert events(webhook_receiver) == ["handoff", "staff_reply", "staff_reply"]


def test_it_posts_a_new_handoff_after_the_bot_got_the_conversation_back(
    conversation,
    reply,
    webhook_receiver,
):
    reply(conversation, "Hola")
    conversation_release(conversation)
    reply(conversation, "Regresé")
    assert events(webhook_receiver).count("handoff") == 2


def test_it_retries_until_the_receiver_takes_the_event(taken, reply, webhook_receiver):
    webhook_receiver.answer_next(500, 503)
    message = reply(taken, "Hola")
    delivery = WebhookDelivery.objects.get(message=message)
    assert (len(webhook_receiver.requests), delivery.status, delivery.attempts) == (3, WebhookStatus.DELIVERED, 3)


def test_it_sends_the_same_signed_bytes_on_every_retry(taken, reply, webhook_receiver):
    webhook_receiver.answer_next(500, 500)
    reply(taken, "Hola")
    sent = {(received.body, received.headers["X-KVKy-Signature"]) for received in webhook_receiver.requests}
    assert len(sent) == 1


def test_it_gives_up_when_the_retries_run_out(taken, reply, webhook_receiver):
    webhook_receiver.answer_next(*[503] * (WEBHOOK_MAX_RETRIES + 1))
    message = reply(taken, "Hola")
    delivery = WebhookDelivery.objects.get(message=message)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        WebhookStatus.FAILED,
        WEBHOOK_MAX_RETRIES + 1,
        "respondió HTTP 503",
    )


def test_it_does_not_retry_an_event_the_receiver_refuses(taken, reply, webhook_receiver):
    webhook_receiver.answer_next(400)
    message = reply(taken, "Hola")
    delivery = WebhookDelivery.objects.get(message=message)
    assert (delivery.status, delivery.attempts) == (WebhookStatus.FAILED, 1)


def test_it_retries_when_the_receiver_is_unreachable(taken, reply, webhook_receiver, hooked_key):
    hooked_key[0].__class__.objects.filter(pk=hooked_key[0].pk).update(webhook_url="http://127.0.0.1:9/caido")
    message = reply(taken, "Hola")
    delivery = WebhookDelivery.objects.get(message=message)
    assert (delivery.status, delivery.attempts) == (WebhookStatus.FAILED, WEBHOOK_MAX_RETRIES + 1)


def test_it_posts_nothing_for_a_conversation_without_a_webhook(kvky, post_chat, staff, webhook_receiver):
    post_chat({"assistant": "kvky", "from": SENDER, "message": "hola"})
    staff_reply(Conversation.objects.get(), "Hola", staff)
    assert (webhook_receiver.requests, WebhookDelivery.objects.count()) == ([], 0)


def test_it_shows_the_delivery_on_the_message_in_the_transcript(taken, reply, webhook_receiver, admin_client):
    webhook_receiver.answer_next(500)
    reply(taken, "Hola")
    page = admin_client.get(f"/admin/conversations/conversation/{taken.pk}/change/").content.decode()
    assert "webhook: entregado (2 intentos)" in page
