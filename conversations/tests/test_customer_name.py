"""The customer's name from the conversation: a stated name ("me llamo …", "soy …") or WhatsApp's profile name."""

import pytest

from catalog.tests.factories import VehicleFactory
from conversations.models import Conversation
from conversations.services import handle_turn
from conversations.tests.factories import AssistantFactory
from leads.models import Lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def kvky():
    return AssistantFactory()


def _say(assistant, text, *, sender="+5215500000001", channel="api", **kwargs):
    return handle_turn(assistant=assistant, sender=sender, text=text, channel=channel, **kwargs)


def test_it_stores_the_name_a_customer_states(kvky):
    _say(kvky, "hola, me llamo juan pérez")

    assert Conversation.objects.get().customer_name == "Juan Pérez"


def test_it_puts_the_stated_name_on_the_lead(kvky):
    VehicleFactory(make="Volkswagen", model="Jetta", year=2019)
    _say(kvky, "soy Ana")
    _say(kvky, "hay jetta?")
    _say(kvky, "lo quiero")

    assert Lead.objects.get().customer_name == "Ana"


def test_it_names_a_lead_made_before_the_name_was_said(kvky):
    VehicleFactory(make="Volkswagen", model="Jetta", year=2019)
    _say(kvky, "hay jetta?")
    _say(kvky, "lo quiero")
    _say(kvky, "me llamo Luis García")

    assert Lead.objects.get().customer_name == "Luis García"


def test_it_prefers_the_stated_name_over_the_whatsapp_profile_name(kvky):
    _say(kvky, "hola", profile_name="JP 🚗")
    _say(kvky, "mi nombre es Juan Pablo", profile_name="JP 🚗")

    conversation = Conversation.objects.get()
    assert (conversation.profile_name, conversation.display_name) == ("JP 🚗", "Juan Pablo")


def test_it_stores_the_name_while_a_person_has_the_conversation(kvky):
    _say(kvky, "hola")
    Conversation.objects.update(handoff=True)

    _say(kvky, "soy Mariana")

    assert Conversation.objects.get().customer_name == "Mariana"


def test_it_takes_no_name_from_soy_de(kvky):
    _say(kvky, "soy de Monterrey")

    assert Conversation.objects.get().customer_name == ""


def test_it_gives_a_web_conversation_the_phone_left_for_a_lead(kvky):
    VehicleFactory(make="Volkswagen", model="Jetta", year=2019)
    for text in ("hay jetta?", "lo quiero", "es el 55 1234 5678"):
        _say(kvky, text, sender="web-3f9a", channel="web")

    assert Conversation.objects.get().display_phone == "+525512345678"


def test_it_shows_a_whatsapp_sender_as_the_phone(kvky):
    _say(kvky, "hola", sender="whatsapp:+5215512345678", channel="whatsapp")

    assert Conversation.objects.get().display_phone == "+525512345678"


def test_it_greets_a_customer_who_only_gives_their_name_and_records_no_lead(kvky):
    VehicleFactory(make="Volkswagen", model="Jetta", year=2019)

    result = _say(kvky, "me llamo Juan Pérez")

    assert (result.intent, result.lead) == ("greet", None)
    assert "Juan Pérez" in result.reply
    assert not Lead.objects.exists()
