"""The API limits each key as well as each sender: a client chooses `from`, not its key."""

import json

import pytest

from conversations.api_keys import api_key_create
from conversations.tests.api.conftest import CHAT_URL
from conversations.tests.factories import AssistantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 100
    settings.API_KEY_RATE_LIMIT_PER_MINUTE = 3
    AssistantFactory()


def post_as(client, key: str, sender: str):
    body = {"assistant": "kvky", "from": sender, "message": "hola"}
    return client.post(
        CHAT_URL, data=json.dumps(body), content_type="application/json", headers={"Authorization": f"Api-Key {key}"}
    )


def test_it_stops_a_key_that_rotates_its_senders_at_the_keys_limit(client, api_key):
    statuses = [post_as(client, api_key, f"+52155000000{n:02d}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_it_answers_the_keys_429_in_json_with_retry_after(client, api_key):
    for n in range(3):
        post_as(client, api_key, f"+52155000000{n:02d}")
    response = post_as(client, api_key, "+5215500000099")
    assert response.json()["error"] == "rate_limited"
    assert "llave" in response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60


def test_it_counts_each_key_apart(client, api_key):
    for n in range(3):
        post_as(client, api_key, f"+52155000000{n:02d}")
    _, other_key = api_key_create(name="otra")
    assert post_as(client, other_key, "+5215500000099").status_code == 200


def test_it_counts_rejected_requests_against_the_key(client, api_key):
    for _ in range(3):
        client.post(
            CHAT_URL, data=b"{", content_type="application/json", headers={"Authorization": f"Api-Key {api_key}"}
        )
    assert post_as(client, api_key, "+5215500000001").status_code == 429


def test_it_does_not_limit_a_key_when_its_limit_is_zero(client, api_key, settings):
    settings.API_KEY_RATE_LIMIT_PER_MINUTE = 0
    assert {post_as(client, api_key, f"+52155000000{n:02d}").status_code for n in range(5)} == {200}
