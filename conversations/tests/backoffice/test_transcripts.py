"""Transcripts and the handoff inbox: the chat read-only with each turn's intent and slots, staff replies,
taking a conversation and handing it back to the bot."""

import datetime as dt

import pytest
from django.urls import reverse

from conversations.models import Channel, Conversation, DeliveryStatus, Message, MessageRole
from conversations.services import handle_turn, staff_reply
from conversations.tests.backoffice.users import StaffUserFactory
from conversations.tests.factories import ConversationFactory, MessageFactory
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:conversations_conversation_changelist")


def _url(name: str, conversation: Conversation) -> str:
    return reverse(f"admin:conversations_conversation_{name}", args=[conversation.pk])


def test_it_shows_each_customer_turn_with_its_intent_and_slots(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky)
    slots = {"body_type": "suv"}
    MessageFactory(conversation=conversation, text="busco una suv", intent="search_vehicles", slots=slots)
    MessageFactory(conversation=conversation, role=MessageRole.BOT, text="Tengo 3 opciones.", intent="search_vehicles")

    page = sales_client.get(_url("change", conversation))

    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("busco una suv") < text.index("Tengo 3 opciones.")
    assert '<span class="intent" title="intención">Búsqueda de autos</span>' in text
    assert "<b>carrocería</b> suv" in text


def test_it_shows_the_transcript_without_an_editable_form(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky)

    page = sales_client.get(_url("change", conversation))

    assert 'name="sender"' not in page.text
    assert 'name="_save"' not in page.text


def test_it_stores_a_staff_reply_and_takes_the_conversation(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky, channel=Channel.API)

    response = sales_client.post(_url("reply", conversation), {"text": "Hola, soy Laura de ventas."})

    assert response.status_code == 302
    message = conversation.messages.get()
    assert (message.role, message.text, message.payload["staff"]) == ("staff", "Hola, soy Laura de ventas.", "ventas")
    conversation.refresh_from_db()
    assert conversation.handoff is True


def test_it_sends_a_whatsapp_staff_reply_through_the_outbound_channel(kvky):
    conversation = ConversationFactory(assistant=kvky, channel=Channel.WHATSAPP, sender="+5215512345678")
    MessageFactory(conversation=conversation, text="¿me ayudan?")

    message = staff_reply(conversation, "Claro, te ayudo.", StaffUserFactory(username="laura"))

    assert message.role == MessageRole.STAFF
    assert message.idempotency_key  # stored by send_message, which queues the delivery to Twilio
    assert message.delivery_status == DeliveryStatus.PENDING
    assert message.payload["staff"] == "laura"


def test_it_shows_why_whatsapp_refused_a_staff_reply(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky, channel=Channel.WHATSAPP)  # the customer never wrote: no window

    page = sales_client.post(_url("reply", conversation), {"text": "¿Sigues interesado?"})

    assert page.status_code == 200
    assert "24 horas" in page.text
    assert not conversation.messages.exists()


def test_it_rejects_an_empty_staff_reply(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky)

    page = sales_client.post(_url("reply", conversation), {"text": "   "})

    assert page.status_code == 200
    assert "errorlist" in page.text
    assert not conversation.messages.exists()


def test_it_lets_the_bot_answer_again_after_the_hand_back(sales_client, kvky):
    handle_turn(assistant=kvky, sender="+5215500000009", text="quiero hablar con un asesor", channel=Channel.API)
    conversation = Conversation.objects.get(sender="+5215500000009")
    assert conversation.handoff is True
    assert handle_turn(assistant=kvky, sender="+5215500000009", text="hola?", channel=Channel.API).reply == ""

    sales_client.post(_url("release", conversation))
    result = handle_turn(assistant=kvky, sender="+5215500000009", text="hola", channel=Channel.API)

    assert result.reply != ""
    assert result.handoff is False


def test_it_takes_a_conversation_from_the_bot(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky)

    sales_client.post(_url("take", conversation))

    conversation.refresh_from_db()
    assert conversation.handoff is True


def test_it_refuses_to_reply_to_a_transcript_of_another_role(hr_client, kvky):
    conversation = ConversationFactory(assistant=kvky)

    response = hr_client.post(_url("reply", conversation), {"text": "hola"})

    assert response.status_code == 403
    assert not conversation.messages.exists()


def test_it_refuses_a_hand_back_by_get(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky, handoff=True)

    assert sales_client.get(_url("release", conversation)).status_code == 405


def test_it_lists_the_handoff_inbox_first(sales_client, kvky):
    ConversationFactory(assistant=kvky, sender="+5215500000010")
    ConversationFactory(assistant=kvky, sender="+5215500000011", handoff=True)
    ConversationFactory(assistant=kvky, sender="+5215500000012")

    text = sales_client.get(LIST_URL).content.decode()

    assert text.index("+525500000011") < min(text.index("+525500000010"), text.index("+525500000012"))
    assert "1 conversación espera a una persona" in text


def test_it_finds_a_conversation_by_lead_folio(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky, sender="+5215500000013")
    LeadFactory(assistant=kvky, conversation=conversation, folio="KVK-ABCD-2345")
    ConversationFactory(assistant=kvky, sender="+5215500000014")

    text = sales_client.get(LIST_URL, {"q": "KVK-ABCD-2345"}).content.decode()

    assert "+525500000013" in text
    assert "+525500000014" not in text


def test_it_finds_a_conversation_by_message_text(sales_client, kvky):
    MessageFactory(conversation=ConversationFactory(assistant=kvky, sender="+5215500000015"), text="¿tienen jetta?")
    MessageFactory(conversation=ConversationFactory(assistant=kvky, sender="+5215500000016"), text="hola")

    text = sales_client.get(LIST_URL, {"q": "jetta"}).content.decode()

    assert "+525500000015" in text
    assert "+525500000016" not in text


def test_it_filters_conversations_by_intent(sales_client, kvky):
    MessageFactory(conversation=ConversationFactory(assistant=kvky, sender="+5215500000017"), intent="financing")
    MessageFactory(conversation=ConversationFactory(assistant=kvky, sender="+5215500000018"), intent="greet")

    text = sales_client.get(LIST_URL, {"intencion": "financing"}).content.decode()

    assert "+525500000017" in text
    assert "+525500000018" not in text


def test_it_lists_intents_seen_lead_and_rating(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky, csat_score=4, nps_score=9)
    MessageFactory(conversation=conversation, intent="greet")
    MessageFactory(conversation=conversation, intent="financing")
    LeadFactory(assistant=kvky, conversation=conversation, folio="KVK-LIST-0001")

    text = sales_client.get(LIST_URL).content.decode()

    assert "Saludo, Financiamiento" in text
    assert "KVK-LIST-0001" in text
    assert "★ 4/5 · NPS 9" in text



def test_it_shows_the_model_s_token_usage_latency_and_guard_events(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky)
    MessageFactory(
        conversation=conversation,
        role=MessageRole.BOT,
        text="Tengo 3 opciones.",
        llm_model="gpt-4o-mini",
        llm_calls=2,
        llm_prompt_tokens=812,
        llm_completion_tokens=64,
        llm_latency_ms=930.4,
        llm_fallback="grounding",
        grounding_events=[{"check": "money", "value": "$199,999", "excerpt": "cuesta $199,999"}],
    )

    text = sales_client.get(_url("change", conversation)).content.decode()

    assert "modelo gpt-4o-mini: 2 llamada(s), 812 + 64 tokens, 930 ms" in text
    assert "respondió el motor de reglas (grounding)" in text
    assert "guardia: money «$199,999»" in text


def test_it_shows_who_has_the_conversation_and_the_staff_response_time(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky, handoff=True)
    asked = MessageFactory(conversation=conversation, text="¿me ayudan?")
    answer = staff_reply(conversation, "Claro, soy de ventas.", StaffUserFactory(username="ana"))
    Message.objects.filter(pk=answer.pk).update(created_at=asked.created_at + dt.timedelta(seconds=40))

    text = sales_client.get(_url("change", conversation)).text

    assert '<dd id="assignee">ana</dd>' in text
    assert '<dd id="response-time">40 s</dd>' in text


def test_it_says_how_many_cars_the_customer_saw_not_how_many_matched(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky)
    cards = [{"stock_id": 1000 + n} for n in range(17)]
    MessageFactory(
        conversation=conversation,
        role=MessageRole.BOT,
        intent="search_vehicles",
        payload={"vehicles": cards, "vehicles_total": 17},
    )

    text = sales_client.get(_url("change", conversation)).content.decode()

    assert "mostró 10 autos de 17 que coinciden (1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009)" in text


def test_it_names_the_intents_in_spanish_in_the_intent_filter(sales_client, kvky):
    MessageFactory(conversation=ConversationFactory(assistant=kvky), intent="human_handoff")

    text = sales_client.get(LIST_URL).content.decode()

    assert ">Pasar con una persona</a>" in text
    assert ">human_handoff</a>" not in text
