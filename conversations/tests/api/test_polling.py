"""GET /api/v1/conversations/{id}/messages?since= : a key's own conversation, the messages after a point."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

from conversations.api_keys import api_key_create
from conversations.models import Conversation, Message
from conversations.services import staff_reply
from conversations.tests.api.openapi_validation import response_validator, schema_errors
from conversations.tests.factories import AssistantFactory

pytestmark = pytest.mark.django_db

SENDER = "+5215512345678"
MESSAGES_PATH = "/api/v1/conversations/{conversation_id}/messages"


@pytest.fixture
def conversation(post_chat) -> Conversation:
    AssistantFactory()
    post_chat({"assistant": "kvky", "from": SENDER, "message": "hola"})
    post_chat({"assistant": "kvky", "from": SENDER, "message": "¿qué puedes hacer?"})
    return Conversation.objects.get()


@pytest.fixture
def poll(client, api_key):
    def get(conversation_id, key: str = api_key, **params: str):
        return client.get(
            f"/api/v1/conversations/{conversation_id}/messages", params, headers={"Authorization": f"Api-Key {key}"}
        )

    return get


def texts(response) -> list[str]:
    return [message["text"] for message in response.json()["messages"]]


def test_it_lists_the_conversation_oldest_first(conversation, poll):
    response = poll(conversation.pk)
    assert response.status_code == 200
    assert [message["role"] for message in response.json()["messages"]] == ["user", "bot", "user", "bot"]


def test_it_returns_only_messages_after_the_given_id(conversation, poll):
    second = conversation.messages.order_by("id")[1]
    response = poll(conversation.pk, since=str(second.pk))
    assert texts(response) == list(conversation.messages.filter(id__gt=second.pk).values_list("text", flat=True))
    assert texts(response)[0] == "¿qué puedes hacer?"


def test_it_returns_only_messages_after_the_given_moment(conversation, poll):
    messages = list(conversation.messages.order_by("id"))
    moment = messages[1].created_at
    Message.objects.filter(pk__in=[message.pk for message in messages[2:]]).update(
        created_at=moment + timedelta(seconds=5)
    )
    response = poll(conversation.pk, since=(moment + timedelta(seconds=1)).isoformat())
    assert texts(response) == [messages[2].text, messages[3].text]


def test_it_takes_a_moment_whose_plus_sign_came_unencoded(conversation, poll):
    response = poll(conversation.pk, since="2000-01-01T00:00:00 00:00")
    assert len(response.json()["messages"]) == 4


def test_it_brings_a_staff_reply_as_staff(conversation, poll):
    last = conversation.messages.order_by("id").last()
    staff_reply(conversation, "Hola, soy Ana.", get_user_model().objects.create_user("ana"))
    response = poll(conversation.pk, since=str(last.pk))
    body = response.json()
    assert ([(message["role"], message["text"]) for message in body["messages"]], body["handoff"]) == (
        [("staff", "Hola, soy Ana.")],
        True,
    )


def test_it_answers_nothing_new_with_an_empty_list(conversation, poll):
    last = conversation.messages.order_by("id").last()
    assert poll(conversation.pk, since=str(last.pk)).json()["messages"] == []


def test_it_hides_another_keys_conversation(conversation, poll):
    _, other_key = api_key_create(name="otro")
    response = poll(conversation.pk, key=other_key)
    assert (response.status_code, response.json()["error"]) == (404, "conversation_not_found")


def test_it_answers_404_for_an_unknown_conversation(db, poll):
    response = poll("00000000-0000-4000-8000-000000000000")
    assert (response.status_code, response.json()["error"]) == (404, "conversation_not_found")


def test_it_refuses_a_since_that_is_neither_an_id_nor_a_moment(conversation, poll):
    response = poll(conversation.pk, since="ayer")
    assert (response.status_code, response.json()["error"]) == (400, "since_invalid")


def test_it_asks_for_the_key(conversation, client):
    response = client.get(f"/api/v1/conversations/{conversation.pk}/messages")
    assert (response.status_code, response.json()["error"]) == (401, "not_authenticated")


def test_it_answers_as_the_schema_says(conversation, poll, client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    validator = response_validator(schema, MESSAGES_PATH, "get", 200)
    assert schema_errors(validator, poll(conversation.pk).json()) == []


def test_it_names_get_when_another_method_is_used(conversation, client, api_key):
    response = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages", headers={"Authorization": f"Api-Key {api_key}"}
    )
    assert (response.status_code, response.json()["detail"].endswith("usa GET.")) == (405, True)
