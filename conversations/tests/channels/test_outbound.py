"""send_message and delivery: the one way out to WhatsApp, sent at most once, retried while Twilio can't take it."""

import json
from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from urllib3.exceptions import NewConnectionError

from conversations.channels.outbound import OutboundRefused, send_message
from conversations.models import Channel, DeliveryStatus, Message, MessageRole
from conversations.tasks import DELIVERY_MAX_RETRIES, deliver_message
from conversations.tests.channels.twilio_fakes import CUSTOMER, SANDBOX_NUMBER
from conversations.tests.factories import ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db

TEMPLATE_SID = "HX" + "1" * 32


@pytest.fixture
def conversation(kvky):
    """A WhatsApp conversation whose customer wrote a moment ago, inside WhatsApp's 24-hour window."""
    conversation = ConversationFactory(assistant=kvky, channel=Channel.WHATSAPP, sender=CUSTOMER)
    MessageFactory(conversation=conversation, role=MessageRole.USER, payload={"to": SANDBOX_NUMBER})
    return conversation


@pytest.fixture
def send(django_capture_on_commit_callbacks, twilio_outbox):
    """send_message, then run the delivery it queued (eagerly, as the embedded default does)."""

    def run(conversation, text, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            message = send_message(conversation, text, **kwargs)
        message.refresh_from_db()
        return message

    return run


def _age_the_conversation(conversation, hours=25):
    Message.objects.filter(conversation=conversation).update(created_at=timezone.now() - timedelta(hours=hours))


def _refused_connection():
    return requests.ConnectionError(
        requests.packages.urllib3.exceptions.MaxRetryError(
            pool=None, url="/", reason=NewConnectionError(None, "Connection refused")
        )
    )


def test_it_sends_a_staff_message_as_typed(send, conversation, twilio_outbox):
    send(conversation, "Hola, soy Laura de la agencia.")
    [sent] = twilio_outbox.accepted
    assert (sent.data["Body"], sent.data["To"]) == ("Hola, soy Laura de la agencia.", f"whatsapp:{CUSTOMER}")


def test_it_stores_the_message_as_staffs_by_default(send, conversation):
    message = send(conversation, "Hola, soy Laura de la agencia.")
    assert (message.role, message.text) == (MessageRole.STAFF, "Hola, soy Laura de la agencia.")


def test_it_records_twilios_sid_and_the_queued_status(send, conversation, twilio_outbox):
    message = send(conversation, "Hola")
    assert (message.external_id, message.delivery_status) == (twilio_outbox.accepted[0].sid, DeliveryStatus.QUEUED)


def test_it_gives_every_outbound_message_its_own_idempotency_key(send, conversation):
    first, second = send(conversation, "Hola"), send(conversation, "¿Sigues ahí?")
    assert first.idempotency_key and first.idempotency_key != second.idempotency_key


def test_it_sends_from_the_assistants_number_when_no_message_names_one(send, kvky, twilio_outbox):
    conversation = ConversationFactory(assistant=kvky, channel=Channel.WHATSAPP, sender=CUSTOMER)
    MessageFactory(conversation=conversation, role=MessageRole.USER)
    send(conversation, "Hola")
    assert twilio_outbox.accepted[0].data["From"] == f"whatsapp:{SANDBOX_NUMBER}"


def test_it_refuses_to_write_outside_the_24_hour_window_without_a_template(send, conversation, twilio_outbox):
    _age_the_conversation(conversation)
    with pytest.raises(OutboundRefused, match="24 horas"):
        send(conversation, "¿Sigues interesado en el Onix?")
    assert not Message.objects.filter(role=MessageRole.STAFF).exists()
    assert twilio_outbox.requests == []


def test_it_uses_the_approved_template_outside_the_24_hour_window(send, conversation, twilio_outbox, kvky):
    kvky.whatsapp_template_sid = TEMPLATE_SID
    kvky.save()
    _age_the_conversation(conversation)
    send(conversation, "¿Sigues interesado en el Onix?")
    [sent] = twilio_outbox.accepted
    assert sent.data["ContentSid"] == TEMPLATE_SID
    assert json.loads(sent.data["ContentVariables"]) == {"1": "¿Sigues interesado en el Onix?"}
    assert "Body" not in sent.data


def test_it_refuses_a_conversation_that_is_not_on_whatsapp(send, kvky):
    conversation = ConversationFactory(assistant=kvky, channel=Channel.API)
    with pytest.raises(OutboundRefused):
        send(conversation, "Hola")


def test_it_refuses_an_empty_message(send, conversation):
    with pytest.raises(OutboundRefused):
        send(conversation, "   ")


def test_it_splits_a_long_message_into_parts_sent_in_order(send, conversation, twilio_outbox):
    text = " ".join(f"Renglón {n} del contrato." for n in range(150))
    send(conversation, text)
    bodies = [sent.data["Body"] for sent in twilio_outbox.accepted]
    assert len(bodies) >= 2
    assert all(len(body) <= 1600 for body in bodies)
    assert " ".join(bodies) == text


def test_it_marks_the_message_failed_when_twilio_is_not_configured(send, conversation, settings, twilio_outbox):
    settings.TWILIO_ACCOUNT_SID = ""
    message = send(conversation, "Hola")
    assert message.delivery_status == DeliveryStatus.FAILED
    assert "TWILIO_ACCOUNT_SID" in message.delivery_error
    assert twilio_outbox.requests == []


class TestRetries:
    def test_it_retries_when_twilio_answers_503(self, send, conversation, twilio_outbox):
        twilio_outbox.answer_next(503)
        message = send(conversation, "Hola")
        assert len(twilio_outbox.requests) == 2
        assert len(twilio_outbox.accepted) == 1
        assert message.delivery_status == DeliveryStatus.QUEUED

    def test_it_retries_when_twilio_is_unreachable(self, send, conversation, twilio_outbox):
        twilio_outbox.raise_next(_refused_connection())
        send(conversation, "Hola")
        assert len(twilio_outbox.accepted) == 1

    def test_it_does_not_retry_a_message_twilio_refused(self, send, conversation, twilio_outbox):
        twilio_outbox.answer_next(400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400})
        message = send(conversation, "Hola")
        assert len(twilio_outbox.requests) == 1
        assert (message.delivery_status, "21211" in message.delivery_error) == (DeliveryStatus.FAILED, True)

    def test_it_never_resends_when_twilio_may_have_taken_the_message(self, send, conversation, twilio_outbox):
        twilio_outbox.raise_next(requests.ReadTimeout("read timed out"))
        message = send(conversation, "Hola")
        assert len(twilio_outbox.requests) == 1
        assert message.delivery_status == DeliveryStatus.FAILED

    def test_it_gives_up_when_the_retries_run_out(self, send, conversation, twilio_outbox):
        for _ in range(DELIVERY_MAX_RETRIES + 1):
            twilio_outbox.answer_next(503)
        message = send(conversation, "Hola")
        assert len(twilio_outbox.requests) == DELIVERY_MAX_RETRIES + 1
        assert message.delivery_status == DeliveryStatus.FAILED

    def test_it_resumes_a_long_message_after_the_parts_twilio_took(self, send, conversation, twilio_outbox):
        text = " ".join(f"Renglón {n} del contrato." for n in range(150))
        twilio_outbox.answer_next(201, {"sid": "SM" + "a" * 32, "status": "queued"})
        twilio_outbox.answer_next(503)
        send(conversation, text)
        bodies = [sent.data["Body"] for sent in twilio_outbox.accepted]
        assert " ".join(bodies) == text


class TestAtMostOnce:
    def test_it_does_not_send_again_when_the_task_is_redelivered(self, send, conversation, twilio_outbox):
        message = send(conversation, "Hola")
        deliver_message.apply(args=[message.pk])
        assert len(twilio_outbox.requests) == 1

    def test_it_does_not_send_a_message_another_worker_is_sending(self, conversation, twilio_outbox):
        message = MessageFactory(
            conversation=conversation, role=MessageRole.STAFF, idempotency_key="k1", delivery_status="sending"
        )
        deliver_message.apply(args=[message.pk])
        assert twilio_outbox.requests == []
