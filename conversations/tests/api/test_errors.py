"""Every way a client can get a request wrong ends in a JSON error with a code, never a 500.

These requests all fail before a turn runs, so no conversation is ever written.
"""

import json

import pytest

from conversations.models import Conversation
from conversations.tests.api.conftest import CHAT_URL
from conversations.tests.factories import AssistantFactory, ChannelNumberFactory, OnboardingAssistantFactory

pytestmark = pytest.mark.django_db

VALID = {"assistant": "kvky", "from": "+5215512345678", "message": "hola"}


def body_with(**changes: object) -> dict:
    body = {**VALID, **changes}
    return {key: value for key, value in body.items() if value is not ...}


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["detail"], str) and body["detail"]


def test_it_answers_400_invalid_json_for_malformed_json(post_chat):
    assert_error(post_chat(b'{"from": "+52", "message": '), 400, "invalid_json")


def test_it_answers_400_invalid_json_for_bytes_that_are_not_utf8(post_chat):
    assert_error(post_chat(b'{"from": "+52", "message": "\xff\xfe"}'), 400, "invalid_json")


def test_it_answers_400_invalid_json_for_nan(post_chat):
    assert_error(post_chat(b'{"from": "+52", "message": NaN}'), 400, "invalid_json")


def test_it_answers_400_invalid_json_for_absurdly_nested_json(post_chat):
    depth = 30_000
    assert_error(post_chat(b"[" * depth + b"]" * depth), 400, "invalid_json")


@pytest.mark.parametrize("body", [["hola"], 42, None, "hola", True], ids=["list", "number", "null", "string", "bool"])
def test_it_answers_400_invalid_body_for_json_that_is_not_an_object(post_chat, body):
    assert_error(post_chat(body), 400, "invalid_body")


def test_it_answers_413_for_a_huge_body(post_chat):
    assert_error(post_chat(body_with(message="a" * 200_000)), 413, "body_too_large")


def test_it_answers_400_message_required_when_the_message_is_missing(post_chat):
    assert_error(post_chat(body_with(message=...)), 400, "message_required")


@pytest.mark.parametrize("message", ["", "   \n\t ", None], ids=["empty", "whitespace", "null"])
def test_it_answers_400_message_required_for_an_empty_message(post_chat, message):
    assert_error(post_chat(body_with(message=message)), 400, "message_required")


@pytest.mark.parametrize("message", [123, 1.5, True, ["hola"], {"text": "hola"}], ids=str)
def test_it_answers_400_message_invalid_for_a_message_that_is_not_a_string(post_chat, message):
    assert_error(post_chat(body_with(message=message)), 400, "message_invalid")


def test_it_answers_400_message_too_long_over_1600_characters(post_chat):
    response = post_chat(body_with(message="a" * 1601))
    assert_error(response, 400, "message_too_long")
    assert "1600" in response.json()["detail"]


def test_it_takes_the_message_limit_from_settings(post_chat, settings):
    settings.MESSAGE_MAX_CHARS = 10
    assert_error(post_chat(body_with(message="a" * 11)), 400, "message_too_long")


def test_it_answers_400_message_invalid_for_nul_characters(post_chat):
    assert_error(post_chat(body_with(message="ho\u0000la")), 400, "message_invalid")


def test_it_answers_400_message_invalid_for_a_lone_surrogate(post_chat):
    assert_error(post_chat(b'{"from": "+5215512345678", "message": "hola \\ud800"}'), 400, "message_invalid")


def test_it_answers_400_from_required_when_the_sender_is_missing(post_chat):
    assert_error(post_chat(body_with(**{"from": ...})), 400, "from_required")


@pytest.mark.parametrize("sender", ["", "   ", None], ids=["empty", "whitespace", "null"])
def test_it_answers_400_from_required_for_an_empty_sender(post_chat, sender):
    assert_error(post_chat(body_with(**{"from": sender})), 400, "from_required")


@pytest.mark.parametrize("sender", [5215512345678, ["+52"], {"tel": "+52"}, False], ids=str)
def test_it_answers_400_from_invalid_for_a_sender_that_is_not_a_string(post_chat, sender):
    assert_error(post_chat(body_with(**{"from": sender})), 400, "from_invalid")


def test_it_answers_400_from_too_long_over_64_characters(post_chat):
    assert_error(post_chat(body_with(**{"from": "1" * 65})), 400, "from_too_long")


@pytest.mark.parametrize("sender", ["+52\u000055", "<script>", "a/b", "😀"], ids=["nul", "markup", "slash", "emoji"])
def test_it_answers_400_from_invalid_for_a_sender_with_odd_characters(post_chat, sender):
    assert_error(post_chat(body_with(**{"from": sender})), 400, "from_invalid")


@pytest.mark.parametrize("value", [14155238886, ["+1"], True], ids=str)
def test_it_answers_400_to_invalid_for_a_channel_number_that_is_not_a_string(post_chat, value):
    assert_error(post_chat(body_with(assistant=..., to=value)), 400, "to_invalid")


def test_it_answers_400_to_invalid_for_a_channel_number_without_digits(post_chat):
    assert_error(post_chat(body_with(assistant=..., to="whatsapp:")), 400, "to_invalid")


@pytest.mark.parametrize("value", [7, ["kvky"], {"slug": "kvky"}], ids=str)
def test_it_answers_400_assistant_invalid_for_an_assistant_that_is_not_a_string(post_chat, value):
    assert_error(post_chat(body_with(assistant=value)), 400, "assistant_invalid")


def test_it_answers_404_assistant_not_found_for_an_unknown_slug(post_chat):
    AssistantFactory()
    assert_error(post_chat(body_with(assistant="nadie")), 404, "assistant_not_found")


def test_it_answers_404_assistant_not_found_for_an_unknown_channel_number(post_chat):
    ChannelNumberFactory(number="+14155238886")
    assert_error(post_chat(body_with(assistant=..., to="+15550001111")), 404, "assistant_not_found")


def test_it_answers_400_assistant_ambiguous_when_several_exist_and_none_is_named(post_chat):
    AssistantFactory()
    OnboardingAssistantFactory()
    assert_error(post_chat(body_with(assistant=...)), 400, "assistant_ambiguous")


def test_it_answers_405_with_allow_for_get(client, api_key):
    response = client.get(CHAT_URL, headers={"Authorization": f"Api-Key {api_key}"})
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


def test_it_answers_415_for_a_form_encoded_body(client, api_key):
    response = client.post(
        CHAT_URL,
        data="from=%2B52&message=hola",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Api-Key {api_key}"},
    )
    assert_error(response, 415, "unsupported_media_type")


def test_it_answers_json_even_when_the_client_asks_for_html(post_chat):
    assert_error(post_chat(body_with(message=""), Accept="text/html"), 400, "message_required")


def test_it_answers_the_same_errors_on_the_seed_compatible_path(post_chat):
    assert_error(post_chat(body_with(message=...), path="/chatbot/http"), 400, "message_required")


def test_it_answers_429_with_retry_after_when_a_sender_goes_over_its_rate(post_chat, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    for _ in range(2):
        assert post_chat(body_with(assistant="nadie")).status_code == 404
    response = post_chat(body_with(assistant="nadie"))
    assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_it_counts_the_rate_per_sender(post_chat, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    post_chat(body_with(assistant="nadie"))
    response = post_chat(body_with(assistant="nadie", **{"from": "+5215599999999"}))
    assert response.status_code == 404


def test_it_writes_nothing_for_a_rejected_request(post_chat):
    AssistantFactory()
    post_chat(body_with(message="a" * 1601))
    assert not Conversation.objects.exists()


def test_it_keeps_error_bodies_to_error_and_detail(post_chat):
    body = json.loads(post_chat(b"{").content)
    assert set(body) == {"error", "detail"}
