"""Internal notes: staff write them on a conversation, see them in the transcript, and the customer never does."""

import pytest
from django.urls import reverse

from conversations.models import Channel, ConversationNote, Message
from conversations.tests.factories import ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db


def _url(name: str, conversation) -> str:
    return reverse(f"admin:conversations_conversation_{name}", args=[conversation.pk])


def test_it_stores_a_note_with_its_author(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky)

    response = sales_client.post(_url("note", conversation), {"text": "Quiere verlo el sábado; llamar antes."})

    assert response.status_code == 302
    note = ConversationNote.objects.get()
    assert (note.conversation, note.author.username, note.text) == (
        conversation,
        "ventas",
        "Quiere verlo el sábado; llamar antes.",
    )


def test_it_shows_the_note_in_the_transcript_between_the_messages(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky)
    MessageFactory(conversation=conversation, text="busco una suv")
    sales_client.post(_url("note", conversation), {"text": "Cliente de la feria."})
    MessageFactory(conversation=conversation, text="¿tienen crédito?")

    text = sales_client.get(_url("change", conversation)).text

    assert 'class="turn turn-note"' in text
    assert text.index("busco una suv") < text.index("Cliente de la feria.") < text.index("¿tienen crédito?")
    assert "ventas · nota interna" in text


def test_it_never_sends_a_note_through_the_channel(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky, channel=Channel.WHATSAPP, sender="+5215512345678")

    sales_client.post(_url("note", conversation), {"text": "No le ofrezcas el Aveo."})

    assert not Message.objects.filter(conversation=conversation).exists()


def test_it_refuses_an_empty_note_with_a_form_error(sales_client, kvky):
    conversation = ConversationFactory(assistant=kvky)

    response = sales_client.post(_url("note", conversation), {"text": "   "})

    assert response.status_code == 200
    assert "Escribe la nota antes de guardarla." in response.text
    assert not ConversationNote.objects.exists()


def test_it_refuses_a_note_on_another_roles_conversation(hr_client, kvky):
    conversation = ConversationFactory(assistant=kvky)

    response = hr_client.post(_url("note", conversation), {"text": "hola"})

    assert response.status_code == 403
    assert not ConversationNote.objects.exists()


def test_it_refuses_a_note_by_get(sales_client, kvky):
    assert sales_client.get(_url("note", ConversationFactory(assistant=kvky))).status_code == 405
