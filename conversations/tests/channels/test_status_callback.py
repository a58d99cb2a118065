"""POST /chatbot/whatsapp/status: Twilio's signed status callbacks move a sent message's delivery status on."""

import pytest

from conversations.models import Channel, DeliveryStatus, MessageRole
from conversations.tests.channels.conftest import STATUS_PATH
from conversations.tests.channels.twilio_fakes import ACCOUNT_SID, CUSTOMER, SANDBOX_NUMBER, sign
from conversations.tests.factories import ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db

SID = "SM" + "b" * 32
KEY = "c0ffee" * 5


@pytest.fixture
def sent_message(kvky):
    conversation = ConversationFactory(assistant=kvky, channel=Channel.WHATSAPP, sender=CUSTOMER)
    return MessageFactory(
        conversation=conversation,
        role=MessageRole.BOT,
        text="¡Hola!",
        idempotency_key=KEY,
        delivery_status=DeliveryStatus.QUEUED,
    )


@pytest.fixture
def post_status(post_signed):
    def post(status, *, key=KEY, error_code="", **kwargs):
        params = {
            "MessageSid": SID,
            "SmsSid": SID,
            "AccountSid": ACCOUNT_SID,
            "From": f"whatsapp:{SANDBOX_NUMBER}",
            "To": f"whatsapp:{CUSTOMER}",
            "MessageStatus": status,
            "SmsStatus": status,
            "ApiVersion": "2010-04-01",
        }
        if error_code:
            params["ErrorCode"] = error_code
        path = f"{STATUS_PATH}?key={key}" if key else STATUS_PATH
        return post_signed(params, path=path, **kwargs)

    return post


def _status(message):
    message.refresh_from_db()
    return message.delivery_status


def test_it_records_that_the_message_was_sent(post_status, sent_message):
    response = post_status("sent")
    assert response.status_code == 204
    assert _status(sent_message) == DeliveryStatus.SENT


def test_it_records_delivered_then_read(post_status, sent_message):
    post_status("delivered")
    post_status("read")
    assert _status(sent_message) == DeliveryStatus.READ


def test_it_never_moves_a_status_back_when_callbacks_arrive_out_of_order(post_status, sent_message):
    post_status("delivered")
    post_status("sent")
    assert _status(sent_message) == DeliveryStatus.DELIVERED


def test_it_records_a_failure_with_twilios_error_code(post_status, sent_message):
    post_status("failed", error_code="63016")
    sent_message.refresh_from_db()
    assert (sent_message.delivery_status, sent_message.delivery_error) == (DeliveryStatus.FAILED, "Twilio 63016")


def test_it_records_undelivered(post_status, sent_message):
    post_status("undelivered", error_code="30008")
    assert _status(sent_message) == DeliveryStatus.UNDELIVERED


def test_it_stores_the_sid_twilio_gave_the_message(post_status, sent_message):
    post_status("sent")
    sent_message.refresh_from_db()
    assert sent_message.external_id == SID


def test_it_finds_the_message_by_its_sid_without_a_key(post_status, sent_message):
    sent_message.external_id = SID
    sent_message.save()
    post_status("delivered", key="")
    assert _status(sent_message) == DeliveryStatus.DELIVERED


def test_it_refuses_an_unsigned_callback(post_status, sent_message):
    response = post_status("failed", signature="")
    assert response.status_code == 403
    assert _status(sent_message) == DeliveryStatus.QUEUED


def test_it_refuses_a_callback_signed_without_its_key(post_status, sent_message):
    signature = sign("http://testserver/chatbot/whatsapp/status", {"MessageSid": SID, "MessageStatus": "failed"})
    assert post_status("failed", signature=signature).status_code == 403


def test_it_accepts_a_callback_for_an_unknown_message(post_status, db):
    assert post_status("delivered", key="no-such-key").status_code == 204
