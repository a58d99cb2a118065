"""POST /chatbot/whatsapp in sync mode: Twilio's signed webhook in, TwiML out (contract §6)."""

import logging

import pytest

from conversations.channels.inbound import RATE_LIMITED_REPLY, TEXT_ONLY_REPLY
from conversations.models import Channel, Conversation, DeliveryStatus, Message
from conversations.tests.channels.conftest import twiml_messages
from conversations.tests.channels.twilio_fakes import CUSTOMER, media_params, sign, webhook_params
from conversations.tests.factories import (
    ChannelNumberFactory,
    ConversationFactory,
    FAQFactory,
    OnboardingAssistantFactory,
)

pytestmark = pytest.mark.django_db


def test_it_answers_a_text_message_with_twiml(post_signed, kvky):
    response = post_signed(webhook_params("hola"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert twiml_messages(response) == [Message.objects.get(role="bot").text]


def test_it_greets_the_customer_by_their_whatsapp_profile_name(post_signed, kvky):
    response = post_signed(webhook_params("hola", ProfileName="Mariana"))
    assert "Mariana" in twiml_messages(response)[0]


def test_it_stores_the_profile_name_on_the_conversation(post_signed, kvky):
    post_signed(webhook_params("hola", ProfileName="Mariana"))
    assert Conversation.objects.get().profile_name == "Mariana"


def test_it_stores_the_message_on_the_whatsapp_channel_for_the_sender(post_signed, kvky):
    params = webhook_params("¿tienen onix?")
    post_signed(params)
    inbound = Message.objects.get(role="user")
    assert (inbound.text, inbound.external_id) == ("¿tienen onix?", params["MessageSid"])
    assert (inbound.conversation.channel, inbound.conversation.sender) == (Channel.WHATSAPP, CUSTOMER)


def test_it_routes_by_the_number_the_customer_wrote_to(post_signed, kvky):
    ChannelNumberFactory(assistant=OnboardingAssistantFactory(), number="+15550001111")
    post_signed(webhook_params("hola", To="whatsapp:+15550001111"))
    assert Conversation.objects.get().assistant.slug == "blinky"


def test_it_answers_an_unknown_number_politely_without_storing(post_signed, kvky):
    response = post_signed(webhook_params("hola", To="whatsapp:+15559999999"))
    assert response.status_code == 200
    assert "no tiene un asistente" in twiml_messages(response)[0]
    assert not Message.objects.exists()


def test_it_logs_a_message_to_an_unknown_number(post_signed, kvky, caplog):
    with caplog.at_level(logging.WARNING, logger="conversations.channels.inbound"):
        post_signed(webhook_params("hola", To="whatsapp:+15559999999"))
    assert "+15559999999" in caplog.text


def test_it_does_not_answer_a_redelivered_message_sid(post_signed, kvky):
    params = webhook_params("hola")
    post_signed(params)
    response = post_signed(params)
    assert response.status_code == 200
    assert twiml_messages(response) == []


def test_it_stores_a_redelivered_message_sid_once(post_signed, kvky):
    params = webhook_params("hola")
    post_signed(params)
    post_signed(params)
    assert Message.objects.filter(role="user").count() == 1
    assert Message.objects.filter(role="bot").count() == 1


def test_it_asks_for_text_when_media_comes_without_it(post_signed, kvky):
    response = post_signed(media_params())
    assert twiml_messages(response) == [TEXT_ONLY_REPLY]
    assert "solo puedo leer texto por ahora" in TEXT_ONLY_REPLY


def test_it_stores_media_without_text_with_its_urls(post_signed, kvky):
    params = media_params()
    post_signed(params)
    inbound = Message.objects.get(role="user")
    assert inbound.payload["media"] == [{"url": params["MediaUrl0"], "content_type": "image/jpeg"}]


def test_it_answers_the_caption_of_a_photo(post_signed, kvky):
    response = post_signed(media_params(Body="hola"))
    assert twiml_messages(response) != [TEXT_ONLY_REPLY]


def test_it_stays_silent_while_a_person_has_the_conversation(post_signed, kvky):
    ConversationFactory(assistant=kvky, channel=Channel.WHATSAPP, sender=CUSTOMER, handoff=True)
    response = post_signed(webhook_params("¿siguen ahí?"))
    assert twiml_messages(response) == []
    assert Message.objects.filter(role="user", text="¿siguen ahí?").exists()


def test_it_stays_silent_on_media_while_a_person_has_the_conversation(post_signed, kvky):
    ConversationFactory(assistant=kvky, channel=Channel.WHATSAPP, sender=CUSTOMER, handoff=True)
    assert twiml_messages(post_signed(media_params())) == []


def test_it_splits_a_long_reply_into_whatsapp_sized_messages(post_signed, db):
    blinky = OnboardingAssistantFactory()
    ChannelNumberFactory(assistant=blinky, number="+15550001111")
    long_answer = " ".join(f"Este es el paso número {n} del proceso de vacaciones." for n in range(60))
    FAQFactory(assistant=blinky, question="¿Cómo pido vacaciones?", answer=long_answer)
    response = post_signed(webhook_params("¿cómo pido vacaciones?", To="whatsapp:+15550001111"))
    parts = twiml_messages(response)
    assert len(parts) >= 2
    assert all(len(part) <= 1600 for part in parts)
    assert all(part.endswith(".") for part in parts[:-1])


def test_it_marks_the_reply_as_handed_to_twilio(post_signed, kvky):
    post_signed(webhook_params("hola"))
    assert Message.objects.get(role="bot").delivery_status == DeliveryStatus.QUEUED


def test_it_asks_twilio_for_status_callbacks_on_the_reply(post_signed, kvky):
    response = post_signed(webhook_params("hola"))
    reply = Message.objects.get(role="bot")
    assert f'action="http://testserver/chatbot/whatsapp/status?key={reply.idempotency_key}"' in response.text


class TestRateLimit:
    @pytest.fixture(autouse=True)
    def _limit_of_two(self, settings):
        settings.WHATSAPP_RATE_LIMIT_PER_MINUTE = 2

    def test_it_tells_a_sender_over_the_limit_to_slow_down(self, post_signed, kvky):
        for _ in range(2):
            post_signed(webhook_params("hola"))
        response = post_signed(webhook_params("hola"))
        assert response.status_code == 200
        assert twiml_messages(response) == [RATE_LIMITED_REPLY]

    def test_it_stores_but_does_not_answer_the_rest_of_the_burst(self, post_signed, kvky):
        for _ in range(3):
            post_signed(webhook_params("hola"))
        response = post_signed(webhook_params("¿tienen onix?"))
        assert twiml_messages(response) == []
        assert Message.objects.filter(role="user").count() == 4

    def test_it_counts_each_sender_on_their_own(self, post_signed, kvky):
        for _ in range(3):
            post_signed(webhook_params("hola"))
        response = post_signed(webhook_params("hola", From="whatsapp:+5215599999999"))
        assert twiml_messages(response) != [RATE_LIMITED_REPLY]


class TestSignature:
    def test_it_refuses_a_request_without_a_signature(self, post_signed, kvky):
        response = post_signed(webhook_params("hola"), signature="")
        assert response.status_code == 403
        assert not Message.objects.exists()
        assert not Conversation.objects.exists()

    def test_it_refuses_a_request_signed_with_another_token(self, post_signed, kvky):
        params = webhook_params("hola")
        response = post_signed(params, signature=sign("http://testserver/chatbot/whatsapp", params, "other-token"))
        assert response.status_code == 403
        assert not Message.objects.exists()

    def test_it_refuses_a_request_whose_params_changed_after_signing(self, post_signed, kvky):
        params = webhook_params("hola")
        signature = sign("http://testserver/chatbot/whatsapp", params)
        response = post_signed({**params, "Body": "quiero apartar el onix"}, signature=signature)
        assert response.status_code == 403

    def test_it_refuses_a_signature_over_another_url(self, post_signed, kvky):
        response = post_signed(webhook_params("hola"), url="http://testserver/otra/ruta")
        assert response.status_code == 403

    def test_it_checks_the_public_url_behind_a_proxy(self, post_signed, kvky, settings):
        settings.PUBLIC_BASE_URL = "https://kvky.example.com"
        response = post_signed(webhook_params("hola"), url="https://kvky.example.com/chatbot/whatsapp")
        assert response.status_code == 200

    def test_it_honours_the_proxy_ssl_header(self, post_signed, kvky, settings):
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        response = post_signed(
            webhook_params("hola"), url="https://testserver/chatbot/whatsapp", **{"X-Forwarded-Proto": "https"}
        )
        assert response.status_code == 200

    def test_it_accepts_unsigned_requests_only_when_validation_is_off(self, post_signed, kvky, settings):
        settings.TWILIO_VALIDATE_SIGNATURE = False
        assert post_signed(webhook_params("hola"), signature="").status_code == 200

    def test_it_refuses_everything_when_no_auth_token_is_set(self, post_signed, kvky, settings):
        settings.TWILIO_AUTH_TOKEN = ""
        assert post_signed(webhook_params("hola")).status_code == 403


def test_it_answers_400_to_a_signed_request_without_a_sender(post_signed, kvky):
    params = webhook_params("hola")
    del params["From"]
    assert post_signed(params).status_code == 400


def test_it_answers_405_to_a_get(client, kvky):
    assert client.get("/chatbot/whatsapp").status_code == 405


def test_it_moves_the_conversation_up_even_for_a_message_it_does_not_answer(post_signed, kvky):
    conversation = ConversationFactory(assistant=kvky, channel=Channel.WHATSAPP, sender=CUSTOMER, handoff=True)
    before = conversation.last_message_at
    post_signed(media_params())
    conversation.refresh_from_db()
    assert conversation.last_message_at > before
