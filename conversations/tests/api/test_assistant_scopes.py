"""API keys limited to some assistants: a dealer's key cannot talk to the HR assistant."""

import json

import pytest

from conversations.api_keys import api_key_create
from conversations.models import Conversation
from conversations.tests.api.openapi_validation import response_validator, schema_errors
from conversations.tests.factories import AssistantFactory, OnboardingAssistantFactory

pytestmark = pytest.mark.django_db

SENDER = "+5215512345678"


@pytest.fixture
def kvky():
    return AssistantFactory()


@pytest.fixture
def blinky():
    return OnboardingAssistantFactory()


@pytest.fixture
def dealer_key(kvky, blinky) -> str:
    _, raw_key = api_key_create(name="agencia", assistants=[kvky])
    return raw_key


def chat(client, key: str, assistant: str):
    return client.post(
        "/api/v1/chat",
        data=json.dumps({"assistant": assistant, "from": SENDER, "message": "hola"}),
        content_type="application/json",
        headers={"Authorization": f"Api-Key {key}"},
    )


def test_it_refuses_an_assistant_the_key_is_not_for(client, dealer_key):
    response = chat(client, dealer_key, "blinky")
    assert (response.status_code, response.json()["error"]) == (403, "assistant_forbidden")


def test_it_says_which_assistant_the_key_cannot_reach(client, dealer_key):
    assert "«blinky»" in chat(client, dealer_key, "blinky").json()["detail"]


def test_it_stores_nothing_for_a_refused_message(client, dealer_key):
    chat(client, dealer_key, "blinky")
    assert not Conversation.objects.exists()


def test_it_answers_the_assistant_the_key_is_for(client, dealer_key):
    assert chat(client, dealer_key, "kvky").status_code == 200


def test_it_refuses_the_assistant_found_by_channel_number_too(client, dealer_key, blinky):
    blinky.channel_numbers.create(number="+15550001111")
    response = client.post(
        "/api/v1/chat",
        data=json.dumps({"to": "+15550001111", "from": SENDER, "message": "hola"}),
        content_type="application/json",
        headers={"Authorization": f"Api-Key {dealer_key}"},
    )
    assert response.status_code == 403


def test_it_lets_a_key_without_assistants_talk_to_all(client, kvky, blinky):
    _, raw_key = api_key_create(name="todos")
    assert [chat(client, raw_key, slug).status_code for slug in ("kvky", "blinky")] == [200, 200]


def test_it_refuses_at_once_when_a_key_is_narrowed(client, kvky, blinky):
    api_key, raw_key = api_key_create(name="crm")
    chat(client, raw_key, "blinky")
    api_key.assistants.set([kvky])
    assert chat(client, raw_key, "blinky").status_code == 403


def test_it_documents_the_refusal_in_the_schema(client, dealer_key):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    validator = response_validator(schema, "/api/v1/chat", "post", 403)
    assert schema_errors(validator, chat(client, dealer_key, "blinky").json()) == []
    assert "assistant_forbidden" in schema["paths"]["/api/v1/chat"]["post"]["responses"]["403"]["description"]
