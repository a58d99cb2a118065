"""Control characters and NUL in Twilio's webhook fields: gone before anything is stored or answered.

XML 1.0 (TwiML) cannot carry them, and PostgreSQL refuses NUL in a text column.
"""

import pytest
from django.http import QueryDict

from conversations.channels.whatsapp import InboundWhatsApp
from conversations.models import Conversation, Message
from conversations.tests.channels.conftest import STATUS_PATH, twiml_messages
from conversations.tests.channels.twilio_fakes import CUSTOMER, form_body, webhook_params

pytestmark = pytest.mark.django_db


def _inbound(**fields: str) -> InboundWhatsApp:
    return InboundWhatsApp.from_post(QueryDict(form_body(webhook_params(**fields))))


def test_it_strips_control_characters_and_nul_from_the_profile_name():
    assert _inbound(ProfileName="\x00Ana\x07\x1b\n").profile_name == "Ana"


def test_it_strips_control_characters_and_nul_from_the_sender():
    assert _inbound(From=f"whatsapp:{CUSTOMER}\x00\x08").sender == CUSTOMER


def test_it_keeps_line_breaks_in_the_body_and_drops_other_control_characters():
    assert _inbound(body="hola\x0b\x1f\nquiero un onix\x7f").body == "hola\nquiero un onix"


def test_it_answers_valid_twiml_to_a_profile_name_with_control_characters(post_signed, kvky):
    response = post_signed(webhook_params("hola", ProfileName="Mari\x01ana\x00"))
    assert "Mariana" in twiml_messages(response)[0]  # parses as XML: no control character in it
    assert Conversation.objects.get().profile_name == "Mariana"


def test_it_stores_a_message_whose_sender_carries_a_nul(post_signed, kvky):
    response = post_signed(webhook_params("hola", From=f"whatsapp:{CUSTOMER}\x00"))
    assert response.status_code == 200
    assert Message.objects.get(role="user").conversation.sender == CUSTOMER


def test_it_answers_a_status_callback_whose_message_sid_carries_a_nul(post_signed, kvky):
    # Fails on PostgreSQL only without the fix: the lookup by MessageSid raises DataError there.
    response = post_signed({"MessageSid": "SM\x00123", "MessageStatus": "delivered"}, path=STATUS_PATH)
    assert response.status_code == 204
