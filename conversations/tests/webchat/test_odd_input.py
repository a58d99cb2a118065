"""Input no browser sends but anyone can: refused with a clear 400 in JSON, and nothing stored."""

from conversations.models import Conversation


def test_it_refuses_a_message_with_half_a_utf16_pair(post_message, token):
    response = post_message(b'{"message": "hola \\ud800"}', token=token)
    assert (response.status_code, response.json()["error"]) == (400, "message_invalid")


def test_it_leaves_no_conversation_behind_for_a_refused_message(post_message, token):
    post_message(b'{"message": "\\udfff"}', token=token)
    assert Conversation.objects.count() == 0


def test_it_refuses_an_after_that_is_a_digit_but_not_a_number(get_messages, token):
    response = get_messages(token=token, query="?after=%C2%B2")  # "²"
    assert (response.status_code, response.json()["error"]) == (400, "after_invalid")
