"""Async mode: the webhook stores and answers <Response/>; a Celery task (eager here) replies via the REST API."""

import pytest

from conversations.models import Channel, DeliveryStatus, Message
from conversations.tasks import reply_to_inbound
from conversations.tests.channels.conftest import twiml_messages
from conversations.tests.channels.twilio_fakes import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CUSTOMER,
    SANDBOX_NUMBER,
    media_params,
    webhook_params,
)
from conversations.tests.factories import ConversationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _async_mode(settings):
    settings.REPLY_MODE = "async"


@pytest.fixture
def post_async(post_signed, django_capture_on_commit_callbacks, twilio_outbox):
    """Post a signed webhook and run what it queued (tasks run eagerly, in-process, without a broker)."""

    def post(params, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post_signed(params, **kwargs)

    return post


def test_it_answers_the_webhook_with_an_empty_response(post_async, kvky):
    response = post_async(webhook_params("hola"))
    assert response.status_code == 200
    assert twiml_messages(response) == []


def test_it_sends_the_reply_through_the_rest_api(post_async, kvky, twilio_outbox):
    post_async(webhook_params("hola", ProfileName="Mariana"))
    [sent] = twilio_outbox.accepted
    assert sent.data["Body"] == Message.objects.get(role="bot").text
    assert "Mariana" in sent.data["Body"]


def test_it_sends_from_the_number_the_customer_wrote_to(post_async, kvky, twilio_outbox):
    post_async(webhook_params("hola"))
    [sent] = twilio_outbox.accepted
    assert (sent.data["From"], sent.data["To"]) == (f"whatsapp:{SANDBOX_NUMBER}", f"whatsapp:{CUSTOMER}")


def test_it_authenticates_as_the_account_at_the_configured_api_base(post_async, kvky, twilio_outbox, settings):
    settings.TWILIO_API_BASE_URL = "http://twilio-stand-in.local:8080"
    post_async(webhook_params("hola"))
    [sent] = twilio_outbox.accepted
    assert sent.url == f"http://twilio-stand-in.local:8080/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert sent.auth == (ACCOUNT_SID, AUTH_TOKEN)


def test_it_stores_twilios_sid_and_status_on_the_reply(post_async, kvky, twilio_outbox):
    post_async(webhook_params("hola"))
    reply = Message.objects.get(role="bot")
    assert (reply.external_id, reply.delivery_status) == (twilio_outbox.accepted[0].sid, DeliveryStatus.QUEUED)


def test_it_asks_for_status_callbacks_at_the_public_url(post_async, kvky, twilio_outbox, settings):
    settings.PUBLIC_BASE_URL = "https://kvky.example.com"
    post_async(webhook_params("hola"), url="https://kvky.example.com/chatbot/whatsapp")
    key = Message.objects.get(role="bot").idempotency_key
    assert twilio_outbox.accepted[0].data["StatusCallback"] == (
        f"https://kvky.example.com/chatbot/whatsapp/status?key={key}"
    )


def test_it_sends_one_reply_to_a_redelivered_message(post_async, kvky, twilio_outbox):
    params = webhook_params("hola")
    post_async(params)
    post_async(params)
    assert len(twilio_outbox.requests) == 1


def test_it_sends_the_text_only_notice_through_the_rest_api(post_async, kvky, twilio_outbox):
    response = post_async(media_params())
    assert twiml_messages(response) == []
    assert "solo puedo leer texto por ahora" in twilio_outbox.accepted[0].data["Body"]


def test_it_sends_nothing_while_a_person_has_the_conversation(post_async, kvky, twilio_outbox):
    ConversationFactory(assistant=kvky, channel=Channel.WHATSAPP, sender=CUSTOMER, handoff=True)
    post_async(webhook_params("¿siguen ahí?"))
    assert twilio_outbox.requests == []


def test_it_stores_the_message_before_any_worker_runs(post_signed, kvky, twilio_outbox):
    params = webhook_params("¿tienen onix?")
    post_signed(params)  # its on-commit task never runs here: no worker picked it up yet
    assert Message.objects.filter(role="user", external_id=params["MessageSid"]).exists()
    assert twilio_outbox.requests == []


def test_it_replies_once_when_the_reply_task_runs_twice(
    post_signed, kvky, twilio_outbox, django_capture_on_commit_callbacks
):
    post_signed(webhook_params("hola"))
    inbound = Message.objects.get(role="user")
    with django_capture_on_commit_callbacks(execute=True):
        reply_to_inbound.apply(args=[inbound.pk])
        reply_to_inbound.apply(args=[inbound.pk])
    assert Message.objects.filter(role="bot").count() == 1
    assert len(twilio_outbox.requests) == 1
