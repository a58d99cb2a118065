"""Saved replies per assistant: each role edits its own assistants' and staff pick them in the reply box."""

import pytest
from django.urls import reverse

from conversations.models import CannedReply
from conversations.tests.factories import CannedReplyFactory, ConversationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:conversations_cannedreply_changelist")


def test_it_lets_a_sales_manager_add_a_saved_reply(sales_client, kvky):
    response = sales_client.post(
        reverse("admin:conversations_cannedreply_add"),
        {"assistant": kvky.pk, "title": "Horario", "text": "Abrimos de 9 a 19 h.", "position": 0},
    )

    assert response.status_code == 302
    assert CannedReply.objects.get().text == "Abrimos de 9 a 19 h."


def test_it_refuses_a_second_reply_with_the_same_title(sales_client, kvky):
    CannedReplyFactory(assistant=kvky, title="Horario")

    response = sales_client.post(
        reverse("admin:conversations_cannedreply_add"),
        {"assistant": kvky.pk, "title": "Horario", "text": "Otra cosa.", "position": 0},
    )

    assert response.status_code == 200
    assert CannedReply.objects.count() == 1


def test_it_keeps_another_roles_replies_out_of_the_list(hr_client, kvky, blinky):
    CannedReplyFactory(assistant=kvky, title="Crédito")
    CannedReplyFactory(assistant=blinky, title="Nómina")

    text = hr_client.get(LIST_URL).text

    assert "Nómina" in text and "Crédito" not in text


def test_it_refuses_to_open_another_roles_reply(hr_client, kvky):
    reply = CannedReplyFactory(assistant=kvky)

    response = hr_client.get(reverse("admin:conversations_cannedreply_change", args=[reply.pk]))

    assert response.status_code == 403


def test_it_offers_the_assistants_replies_in_the_reply_box(sales_client, kvky, blinky):
    CannedReplyFactory(assistant=kvky, title="Agendar visita", text="¿Qué día puedes venir?")
    CannedReplyFactory(assistant=blinky, title="Nómina")
    conversation = ConversationFactory(assistant=kvky)

    text = sales_client.get(reverse("admin:conversations_conversation_change", args=[conversation.pk])).text

    assert '<option value="¿Qué día puedes venir?">Agendar visita</option>' in text
    assert "Nómina" not in text
