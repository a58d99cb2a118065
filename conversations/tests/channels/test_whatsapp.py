"""Twilio's WhatsApp edge on its own: parsing the webhook, TwiML, and splitting at WhatsApp's limit."""

import pytest
from django.http import QueryDict

from conversations.channels.whatsapp import InboundWhatsApp, InvalidWebhook, split_message, twiml
from conversations.tests.channels.twilio_fakes import CUSTOMER, form_body, media_params, webhook_params


def _inbound(params: dict[str, str]) -> InboundWhatsApp:
    return InboundWhatsApp.from_post(QueryDict(form_body(params)))


def test_it_keeps_a_short_reply_whole():
    assert split_message("¡Hola! ¿En qué te ayudo?") == ["¡Hola! ¿En qué te ayudo?"]


def test_it_splits_at_a_line_break_rather_than_inside_a_line():
    lines = [f"{n}. Chevrolet Onix 2021 LT, 28,430 km, $226,999" for n in range(60)]
    parts = split_message("\n".join(lines), limit=500)
    assert len(parts) > 1
    assert all(line in lines for part in parts for line in part.splitlines())
    assert "\n".join(parts) == "\n".join(lines)


def test_it_splits_a_paragraph_at_a_sentence_end():
    text = " ".join(["La prestación se paga cada quincena, sin excepción."] * 40)
    parts = split_message(text, limit=300)
    assert all(part.endswith(".") for part in parts)
    assert all(len(part) <= 300 for part in parts)


def test_it_splits_an_endless_sentence_between_words():
    text = " ".join(["palabra"] * 500)
    parts = split_message(text, limit=100)
    assert all(len(part) <= 100 and not part.startswith(" ") for part in parts)
    assert " ".join(parts) == text


def test_it_cuts_a_text_with_no_spaces_at_the_limit():
    assert [len(part) for part in split_message("x" * 250, limit=100)] == [100, 100, 50]


def test_it_uses_whatsapps_1600_characters_by_default():
    parts = split_message("Hola. " * 700)
    assert len(parts) == 3
    assert max(len(part) for part in parts) <= 1600


def test_it_renders_silence_as_an_empty_response():
    assert twiml("").endswith("<Response />")


def test_it_renders_one_message_per_part():
    assert twiml(" ".join(["Hola."] * 400)).count("<Message>") == 2


def test_it_strips_the_whatsapp_prefix_from_the_sender():
    assert _inbound(webhook_params()).sender == CUSTOMER


def test_it_reads_the_media_of_a_message():
    inbound = _inbound(media_params())
    assert [item.content_type for item in inbound.media] == ["image/jpeg"]
    assert not inbound.has_text


def test_it_ignores_a_garbled_media_count():
    assert _inbound(webhook_params(NumMedia="muchos")).media == ()


def test_it_refuses_a_webhook_without_a_message_sid():
    params = webhook_params()
    for name in ("MessageSid", "SmsMessageSid", "SmsSid"):
        del params[name]
    with pytest.raises(InvalidWebhook):
        _inbound(params)
