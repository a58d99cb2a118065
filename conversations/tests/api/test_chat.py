"""The chat API end to end, against the real handle_turn."""

import pytest

from conversations.models import Channel, Conversation, Message
from conversations.tests.factories import AssistantFactory, ChannelNumberFactory, OnboardingAssistantFactory

pytestmark = pytest.mark.django_db

SENDER = "+5215512345678"
CONTRACT_KEYS = {
    "conversation", "assistant", "reply", "intent", "slots", "vehicles", "vehicles_total",
    "alternatives", "financing", "faq", "lead", "handoff",
}  # fmt: skip


@pytest.fixture
def kvky():
    return AssistantFactory()


def test_it_answers_200_with_the_turn_result(post_chat, kvky):
    response = post_chat({"assistant": "kvky", "from": SENDER, "message": "hola"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == CONTRACT_KEYS
    assert (body["assistant"], body["intent"]) == ("kvky", "greet")
    assert body["reply"]


def test_it_stores_the_turn_on_the_api_channel_for_the_sender(post_chat, kvky):
    body = post_chat({"assistant": "kvky", "from": SENDER, "message": "hola"}).json()
    conversation = Conversation.objects.get()
    assert str(conversation.pk) == body["conversation"]
    assert (conversation.channel, conversation.sender) == (Channel.API, "+525512345678")  # SENDER in E.164


def test_it_stores_the_message_as_sent(post_chat, kvky):
    post_chat({"assistant": "kvky", "from": SENDER, "message": "hola, buenas tardes"})
    assert Message.objects.filter(role="user").get().text == "hola, buenas tardes"


def test_it_continues_the_conversation_of_the_same_sender(post_chat, kvky):
    first = post_chat({"assistant": "kvky", "from": SENDER, "message": "hola"}).json()
    second = post_chat({"assistant": "kvky", "from": SENDER, "message": "¿qué puedes hacer?"}).json()
    assert first["conversation"] == second["conversation"]


def test_it_picks_the_assistant_by_channel_number(post_chat, kvky):
    ChannelNumberFactory(assistant=OnboardingAssistantFactory(), number="+15550001111")
    response = post_chat({"to": "whatsapp:+1 555-000-1111", "from": SENDER, "message": "hola"})
    assert response.json()["assistant"] == "blinky"


def test_it_prefers_the_named_assistant_over_the_channel_number(post_chat, kvky):
    ChannelNumberFactory(assistant=OnboardingAssistantFactory(), number="+15550001111")
    response = post_chat({"assistant": "kvky", "to": "+15550001111", "from": SENDER, "message": "hola"})
    assert response.json()["assistant"] == "kvky"


def test_it_uses_the_only_assistant_when_none_is_named(post_chat):
    OnboardingAssistantFactory()
    response = post_chat({"from": SENDER, "message": "hola"})
    assert response.json()["assistant"] == "blinky"


def test_it_answers_the_same_on_the_seed_compatible_path(post_chat, kvky):
    ChannelNumberFactory(assistant=kvky, number="+14155238886")
    response = post_chat({"from": SENDER, "to": "+14155238886", "message": "hola"}, path="/chatbot/http")
    assert response.status_code == 200
    assert set(response.json()) == CONTRACT_KEYS


def test_it_accepts_a_message_of_exactly_1600_characters(post_chat, kvky):
    response = post_chat({"assistant": "kvky", "from": SENDER, "message": "hola " + "a" * 1595})
    assert response.status_code == 200


def test_it_answers_json_when_the_client_asks_for_html(post_chat, kvky):
    response = post_chat({"assistant": "kvky", "from": SENDER, "message": "hola"}, Accept="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
