"""Phones in one form (E.164), however they were written, and the migration that moves stored API senders."""

import importlib

import pytest
from django.apps import apps

from conversations.models import Channel, Conversation
from conversations.phones import phone_e164
from conversations.tests.factories import AssistantFactory, ConversationFactory

SENDERS_TO_E164 = importlib.import_module("conversations.migrations.0009_forgotten_message").api_senders_to_e164


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("+52 55 1234 9876", "+525512349876"),
        ("(55) 1234 9878", "+525512349878"),
        ("52-55-1234-9876", "+525512349876"),
        ("5512349876", "+525512349876"),
        ("55.1234.9876", "+525512349876"),
        ("+1 (415) 523-8886", "+14155238886"),
    ],
)
def test_it_writes_a_phone_in_e164(written, e164):
    assert phone_e164(written) == e164


@pytest.mark.parametrize("written", ["521 55 1234 9876", "+5215512349876", "+52 1 55 1234 9876"])
def test_it_drops_the_old_mexican_mobile_prefix(written):
    assert phone_e164(written) == "+525512349876"


def test_it_reads_a_twilio_whatsapp_address():
    assert phone_e164("whatsapp:+5215512349876") == "+525512349876"


def test_it_reads_a_national_number_with_another_default_country():
    assert phone_e164("(415) 523-8886", default_country="1") == "+14155238886"


@pytest.mark.parametrize(
    "written", ["", "web-3f9a2b7c", "cliente-42", "2021", "$226,999", "311726", "KVK-7Q2M-9XHF", "55-1234-LOVE"]
)
def test_it_says_none_for_what_is_not_a_phone(written):
    assert phone_e164(written) is None


def test_it_says_none_for_ten_digits_no_country_uses():
    assert phone_e164("1234567890") is None


@pytest.mark.django_db
def test_it_migrates_api_senders_that_are_phones_to_e164_and_keeps_client_ids():
    assistant = AssistantFactory()
    phone = ConversationFactory(assistant=assistant, channel=Channel.API, sender="+52 1 55 1234 9876")
    client_id = ConversationFactory(assistant=assistant, channel=Channel.API, sender="cliente-42")
    whatsapp = ConversationFactory(assistant=assistant, channel=Channel.WHATSAPP, sender="+5215512349876")

    SENDERS_TO_E164(apps, None)

    senders = dict(Conversation.objects.values_list("pk", "sender"))
    assert (senders[phone.pk], senders[client_id.pk], senders[whatsapp.pk]) == (
        "+525512349876",
        "cliente-42",
        "+5215512349876",  # Twilio's address, which replies go back to
    )


@pytest.mark.django_db
def test_it_leaves_an_api_sender_whose_e164_form_is_taken_as_it_was():
    assistant = AssistantFactory()
    ConversationFactory(assistant=assistant, channel=Channel.API, sender="+525512349876")
    duplicate = ConversationFactory(assistant=assistant, channel=Channel.API, sender="5512349876")

    SENDERS_TO_E164(apps, None)

    duplicate.refresh_from_db()
    assert duplicate.sender == "5512349876"
