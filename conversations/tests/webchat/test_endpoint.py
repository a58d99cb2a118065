"""The web chat's JSON endpoint: identity, CSRF, rate limits and errors."""

import json

import pytest
from django.core import signing
from django.test import Client

from catalog.tests.factories import VehicleFactory
from conversations.channels.webchat import SESSION_SALT, session_from_token, session_new
from conversations.models import Channel, Conversation, Message, MessageRole
from conversations.tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


def _error(response) -> str:
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "detail"}
    return body["error"]


# --- A turn --------------------------------------------------------------------


def test_it_answers_a_message_with_the_assistants_reply(post_message, token, kvky):
    response = post_message({"message": "hola"}, token=token)
    assert response.status_code == 200
    assert response.json()["message"]["text"] == kvky.greeting


def test_it_marks_the_conversation_as_a_web_conversation(post_message, token):
    post_message({"message": "hola"}, token=token)
    assert Conversation.objects.get().channel == Channel.WEB


def test_it_ties_the_conversation_to_the_sender_the_server_issued(post_message, token, kvky):
    post_message({"message": "hola"}, token=token)
    assert Conversation.objects.get().sender == session_from_token(token, kvky).sender


def test_it_ignores_a_phone_or_sender_the_client_puts_in_the_body(post_message, token, kvky):
    post_message({"message": "hola", "from": "+5215512345678", "sender": "web-someone-else"}, token=token)
    assert list(Conversation.objects.values_list("sender", flat=True)) == [session_from_token(token, kvky).sender]


def test_it_keeps_two_sessions_in_two_conversations(post_message, kvky):
    post_message({"message": "hola"}, token=session_new(kvky)[1])
    post_message({"message": "hola"}, token=session_new(kvky)[1])
    assert Conversation.objects.count() == 2


def test_it_continues_the_same_conversation_for_the_same_session(post_message, token):
    post_message({"message": "hola"}, token=token)
    post_message({"message": "¿qué puedes hacer?"}, token=token)
    assert Conversation.objects.get().turns == 2


def test_it_strips_control_characters_from_the_message(post_message, token):
    post_message({"message": "ho\x00la\x07"}, token=token)
    assert Message.objects.get(role=MessageRole.USER).text == "hola"


def test_it_gives_the_usual_next_steps_as_quick_replies(post_message, token):
    replies = post_message({"message": "hola"}, token=token).json()["quick_replies"]
    assert [reply["label"] for reply in replies] == ["Ver autos", "Calcular mensualidad", "Hablar con un asesor"]


def test_it_offers_yes_and_no_with_a_reply_that_offers_a_person(post_message, token):
    post_message({"message": "asdf qwer"}, token=token)
    replies = post_message({"message": "zxcv uiop"}, token=token).json()["quick_replies"]
    assert [reply["label"] for reply in replies[:2]] == ["Sí", "No"]


def test_it_offers_yes_and_no_again_when_the_page_reloads(post_message, get_messages, token):
    post_message({"message": "asdf qwer"}, token=token)
    post_message({"message": "zxcv uiop"}, token=token)
    assert [reply["label"] for reply in get_messages(token=token).json()["quick_replies"][:2]] == ["Sí", "No"]


def test_it_offers_a_person_for_a_fact_it_lacks_and_yes_hands_over(post_message, token):
    VehicleFactory(stock_id="1001", make="Chevrolet", model="Onix", year=2022)
    body = post_message({"message": "¿el onix 2022 tiene quemacocos?"}, token=token).json()
    assert body["message"]["text"].endswith("¿Quieres que te comunique con un asesor?")
    assert post_message({"message": body["quick_replies"][0]["message"]}, token=token).json()["handoff"] is True


def test_it_stays_silent_while_a_person_has_the_conversation(post_message, token):
    post_message({"message": "quiero hablar con un asesor"}, token=token)
    body = post_message({"message": "¿sigues ahí?"}, token=token).json()
    assert (body["message"], body["handoff"], body["quick_replies"]) == (None, True, [])


def test_it_is_never_cached(post_message, token):
    assert "no-store" in post_message({"message": "hola"}, token=token)["Cache-Control"]


# --- Session identity and CSRF ---------------------------------------------------------


def test_it_refuses_a_message_without_a_session(post_message, kvky):
    response = post_message({"message": "hola"}, token=None)
    assert (response.status_code, _error(response)) == (403, "session_required")


def test_it_refuses_a_session_the_client_made_up(post_message, kvky):
    forged = signing.dumps({"s": "web-victim", "a": "kvky"})  # signed, but not for the web chat
    response = post_message({"message": "hola"}, token=forged)
    assert (response.status_code, _error(response)) == (403, "session_invalid")


def test_it_refuses_a_tampered_session(post_message, token):
    value, signature = token.rsplit(":", 1)
    tampered = value.replace(value[2], "A" if value[2] != "A" else "B", 1) + ":" + signature
    response = post_message({"message": "hola"}, token=tampered)
    assert (response.status_code, _error(response)) == (403, "session_invalid")


def test_it_refuses_a_session_for_another_assistant(post_message, token, blinky):
    response = post_message({"message": "hola"}, token=token, slug="blinky")
    assert (response.status_code, _error(response)) == (403, "session_invalid")


def test_it_refuses_an_expired_session(post_message, token, settings):
    settings.WEBCHAT_SESSION_MAX_AGE = -1
    response = post_message({"message": "hola"}, token=token)
    assert (response.status_code, _error(response)) == (403, "session_expired")


def test_it_refuses_a_session_without_the_web_prefix(post_message, kvky):
    token = signing.dumps({"s": "+5215512345678", "a": "kvky"}, salt=SESSION_SALT, compress=True)
    response = post_message({"message": "hola"}, token=token)
    assert (response.status_code, _error(response)) == (403, "session_invalid")


def test_it_refuses_a_cross_site_form_post(kvky):
    """What another site can make a browser send: a form, with cookies, but never our header."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/chat/kvky/messages", data={"message": "hola"}, headers={"Origin": "https://evil.example"})
    assert (response.status_code, _error(response)) == (403, "session_required")
    assert Message.objects.count() == 0


def test_it_works_without_cookies_as_in_a_third_party_iframe(token):
    client = Client(enforce_csrf_checks=True)  # no cookie at all: browsers withhold them in other sites' iframes
    response = client.post(
        "/chat/kvky/messages",
        data=json.dumps({"message": "hola"}),
        content_type="application/json",
        headers={"X-Webchat-Session": token},
    )
    assert response.status_code == 200


# --- Bad input: a 4xx in JSON, never a 500 ---------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        (b"[1, 2]", "invalid_body"),
        (b'"hola"', "invalid_body"),
        (b"{}", "message_required"),
        (b'{"message": null}', "message_required"),
        (b'{"message": "   "}', "message_required"),
        (b'{"message": "\\u0000"}', "message_required"),
        (b'{"message": 42}', "message_invalid"),
        (b'{"message": ["hola"]}', "message_invalid"),
        (b"[" * 5000 + b"]" * 5000, "invalid_json"),
    ],
)
def test_it_answers_400_in_json_for_a_bad_body(post_message, token, body, code):
    response = post_message(body, token=token)
    assert (response.status_code, _error(response)) == (400, code)


def test_it_refuses_a_message_longer_than_whatsapps_limit(post_message, token):
    response = post_message({"message": "a" * 1601}, token=token)
    assert (response.status_code, _error(response)) == (400, "message_too_long")


def test_it_tells_the_customer_how_long_the_message_is_and_the_limit(post_message, token):
    detail = post_message({"message": "a" * 1650}, token=token).json()["detail"]
    assert "1,650 caracteres" in detail and "máximo es de 1,600" in detail


def test_it_stores_nothing_of_a_message_over_the_limit(post_message, token):
    post_message({"message": "a" * 1601}, token=token)
    assert Message.objects.count() == 0


def test_it_accepts_a_message_at_the_limit(post_message, token):
    assert post_message({"message": "a" * 1600}, token=token).status_code == 200


def test_it_refuses_an_oversized_body(post_message, token):
    response = post_message({"message": "hola", "padding": "x" * 20_000}, token=token)
    assert (response.status_code, _error(response)) == (413, "body_too_large")


def test_it_names_the_character_limit_for_an_oversized_body(post_message, token):
    assert "1,600 caracteres" in post_message({"message": "ñ" * 9000}, token=token).json()["detail"]


def test_it_refuses_a_body_that_is_not_json(post_message, token):
    response = post_message(b"message=hola", token=token, content_type="application/x-www-form-urlencoded")
    assert (response.status_code, _error(response)) == (415, "unsupported_media_type")


def test_it_answers_405_in_json_for_another_method(client, token):
    response = client.put("/chat/kvky/messages", headers={"X-Webchat-Session": token})
    assert (response.status_code, _error(response), response["Allow"]) == (405, "method_not_allowed", "GET, POST")


def test_it_answers_404_in_json_for_an_unknown_assistant(post_message, token):
    response = post_message({"message": "hola"}, token=token, slug="nadie")
    assert (response.status_code, _error(response)) == (404, "assistant_not_found")


@pytest.mark.parametrize(
    "message",
    [
        "\U0001f697" * 400,
        "\u202e<script>alert(1)</script>",
        "¿" * 1600,
        "$" * 1600,
        "9" * 1600,
    ],
)
def test_it_survives_hostile_messages(post_message, token, message):
    assert post_message({"message": message}, token=token).status_code < 500


# --- Rate limits ---------------------------------------------------------------------


def test_it_limits_the_messages_of_one_session(post_message, token, settings):
    settings.WEBCHAT_RATE_LIMIT_PER_MINUTE = 2
    for _ in range(2):
        assert post_message({"message": "hola"}, token=token).status_code == 200
    response = post_message({"message": "hola"}, token=token)
    assert (response.status_code, _error(response)) == (429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_it_limits_one_session_without_limiting_another(post_message, token, kvky, settings):
    settings.WEBCHAT_RATE_LIMIT_PER_MINUTE = 1
    post_message({"message": "hola"}, token=token)
    assert post_message({"message": "hola"}, token=session_new(kvky)[1]).status_code == 200


def test_it_limits_the_messages_from_one_ip_across_sessions(post_message, kvky, settings):
    settings.WEBCHAT_IP_RATE_LIMIT_PER_MINUTE = 2
    for _ in range(2):
        assert post_message({"message": "hola"}, token=session_new(kvky)[1]).status_code == 200
    response = post_message({"message": "hola"}, token=session_new(kvky)[1])
    assert (response.status_code, _error(response)) == (429, "rate_limited")


def test_it_limits_one_ip_without_limiting_another(post_message, kvky, settings):
    settings.WEBCHAT_IP_RATE_LIMIT_PER_MINUTE = 1
    post_message({"message": "hola"}, token=session_new(kvky)[1], REMOTE_ADDR="10.0.0.1")
    response = post_message({"message": "hola"}, token=session_new(kvky)[1], REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 200


def test_it_counts_refused_sessions_against_the_ip(post_message, kvky, settings):
    settings.WEBCHAT_IP_RATE_LIMIT_PER_MINUTE = 1
    post_message({"message": "hola"}, token="forged")
    assert post_message({"message": "hola"}, token=session_new(kvky)[1]).status_code == 429


INGRESS = "10.42.0.7"  # what REMOTE_ADDR is for every visitor behind the Kubernetes ingress


def test_it_limits_each_visitor_behind_the_trusted_ingress_apart(post_message, kvky, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.WEBCHAT_IP_RATE_LIMIT_PER_MINUTE = 1
    first = {"REMOTE_ADDR": INGRESS, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    second = {"REMOTE_ADDR": INGRESS, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert post_message({"message": "hola"}, token=session_new(kvky)[1], **first).status_code == 200
    assert post_message({"message": "hola"}, token=session_new(kvky)[1], **second).status_code == 200
    assert post_message({"message": "hola"}, token=session_new(kvky)[1], **first).status_code == 429


def test_it_ignores_a_forged_forwarded_for_when_no_proxy_is_trusted(post_message, kvky, settings):
    settings.TRUSTED_PROXIES = []
    settings.WEBCHAT_IP_RATE_LIMIT_PER_MINUTE = 1
    post_message({"message": "hola"}, token=session_new(kvky)[1], HTTP_X_FORWARDED_FOR="203.0.113.5")
    response = post_message({"message": "hola"}, token=session_new(kvky)[1], HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_it_limits_a_visitor_who_prepends_addresses_to_forwarded_for(post_message, kvky, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.WEBCHAT_IP_RATE_LIMIT_PER_MINUTE = 1
    for forged in ("192.0.2.1", "192.0.2.2"):
        # The ingress appends the address it saw to whatever the visitor sent.
        extra = {"REMOTE_ADDR": INGRESS, "HTTP_X_FORWARDED_FOR": f"{forged}, 203.0.113.5"}
        response = post_message({"message": "hola"}, token=session_new(kvky)[1], **extra)
    assert response.status_code == 429


# --- History ---------------------------------------------------------------------------


def test_it_returns_an_empty_history_for_a_new_session(get_messages, token):
    body = get_messages(token=token).json()
    assert (body["messages"], body["last_id"], body["handoff"]) == ([], 0, False)


def test_it_returns_the_conversation_so_far_with_rich_answers(get_messages, post_message, token):
    post_message({"message": "hola"}, token=token)
    post_message({"message": "quiero hablar con un asesor"}, token=token)
    messages = get_messages(token=token).json()["messages"]
    assert [(m["role"], m.get("intent")) for m in messages] == [
        ("user", None),
        ("bot", "greet"),
        ("user", None),
        ("bot", "human_handoff"),
    ]


def test_it_returns_only_the_messages_after_an_id(get_messages, post_message, token):
    first = post_message({"message": "hola"}, token=token).json()["last_id"]
    post_message({"message": "¿qué puedes hacer?"}, token=token)
    messages = get_messages(token=token, query=f"?after={first}").json()["messages"]
    assert [m["text"] for m in messages if m["role"] == "user"] == ["¿qué puedes hacer?"]


def test_it_shows_a_staff_reply_in_the_history(get_messages, post_message, token):
    post_message({"message": "quiero hablar con un asesor"}, token=token)
    MessageFactory(conversation=Conversation.objects.get(), role=MessageRole.STAFF, text="Hola, soy Ana.")
    body = get_messages(token=token).json()
    assert (body["messages"][-1]["role"], body["messages"][-1]["text"], body["handoff"]) == (
        "staff",
        "Hola, soy Ana.",
        True,
    )


def test_it_never_shows_one_session_the_messages_of_another(get_messages, post_message, token, kvky):
    post_message({"message": "hola"}, token=token)
    assert get_messages(token=session_new(kvky)[1]).json()["messages"] == []


def test_it_refuses_the_history_without_a_session(get_messages, kvky):
    response = get_messages(token=None)
    assert (response.status_code, _error(response)) == (403, "session_required")


@pytest.mark.parametrize("after", ["abc", "-1", "1.5", "9" * 40])
def test_it_answers_400_for_a_bad_after(get_messages, token, after):
    response = get_messages(token=token, query=f"?after={after}")
    assert (response.status_code, _error(response)) == (400, "after_invalid")
