"""The conversation list and transcript name the customer and their phone, not the channel's sender id."""

import pytest
from django.urls import reverse

from conversations.tests.factories import ConversationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:conversations_conversation_changelist")


def test_it_lists_a_web_customer_by_name_and_phone_not_by_session_key(sales_client, kvky):
    ConversationFactory(
        assistant=kvky,
        channel="web",
        sender="web-Ocd7RsC_x1",
        customer_name="Juan Pérez",
        customer_phone="+525512349876",
    )

    text = sales_client.get(LIST_URL).text

    assert "Juan Pérez" in text and "+525512349876" in text
    assert "web-Ocd7RsC_x1" not in text


def test_it_shows_the_name_and_phone_on_the_transcript(sales_client, kvky):
    conversation = ConversationFactory(
        assistant=kvky, channel="whatsapp", sender="whatsapp:+5215512349876", profile_name="JP", customer_name="Juan"
    )

    text = sales_client.get(reverse("admin:conversations_conversation_change", args=[conversation.pk])).text

    assert "Conversación con Juan" in text and "+525512349876" in text
