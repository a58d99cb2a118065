"""The inbox: conversations waiting for a person, with who, where, how long, what they said and who has it;
'Tomar' assigns one to the staff member."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import Channel, Conversation, Message, MessageRole
from conversations.services import conversation_release, conversation_take, staff_reply
from conversations.tests.backoffice.users import StaffUserFactory, logged_in, sales_manager
from conversations.tests.factories import ConversationFactory, MessageFactory
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

INBOX_URL = reverse("admin:conversations_conversation_inbox")
DATA_URL = reverse("admin:conversations_conversation_inbox_data")


def _waiting(assistant, minutes_ago: float = 5, **fields) -> Conversation:
    return ConversationFactory(
        assistant=assistant, handoff=True, handoff_at=timezone.now() - dt.timedelta(minutes=minutes_ago), **fields
    )


def _rows(client) -> list[dict]:
    response = client.get(DATA_URL)
    assert response.status_code == 200
    return response.json()["conversations"]


def test_it_lists_only_conversations_waiting_for_a_person(sales_client, kvky):
    waiting = _waiting(kvky)
    ConversationFactory(assistant=kvky, handoff=False)

    assert [row["id"] for row in _rows(sales_client)] == [str(waiting.pk)]


def test_it_lists_the_longest_wait_first(sales_client, kvky):
    recent, old = _waiting(kvky, minutes_ago=2), _waiting(kvky, minutes_ago=40)

    assert [row["id"] for row in _rows(sales_client)] == [str(old.pk), str(recent.pk)]


def test_it_shows_how_long_the_customer_has_waited_since_the_handoff(sales_client, kvky):
    _waiting(kvky, minutes_ago=12.5)

    assert _rows(sales_client)[0]["waiting"] == "12 min"


def test_it_names_the_customer_by_the_profile_name(sales_client, kvky):
    _waiting(kvky, profile_name="Ana López", sender="+5215511112222", channel=Channel.WHATSAPP)

    row = _rows(sales_client)[0]

    assert (row["customer"], row["contact"], row["channel"]) == ("Ana López", "+5215511112222", "WhatsApp")


def test_it_names_the_customer_by_the_name_they_stated_in_the_chat(sales_client, kvky):
    conversation = _waiting(kvky, sender="web-Ocd7RsC_abc", channel=Channel.WEB)
    Conversation.objects.filter(pk=conversation.pk).update(customer_name="Juan Pérez", customer_phone="+525599998888")

    row = _rows(sales_client)[0]

    assert (row["customer"], row["contact"]) == ("Juan Pérez", "+525599998888")


def test_it_names_the_customer_by_the_leads_name_and_phone_when_the_chat_has_none(sales_client, kvky):
    conversation = _waiting(kvky, sender="web-Ocd7RsC_abc", channel=Channel.WEB)
    LeadFactory(assistant=kvky, conversation=conversation, customer_name="Juan Pérez", customer_phone="+525599998888")

    row = _rows(sales_client)[0]

    assert (row["customer"], row["contact"]) == ("Juan Pérez", "+525599998888")


def test_it_falls_back_to_the_phone_when_nobody_gave_a_name(sales_client, kvky):
    _waiting(kvky, sender="+5215544443333")

    row = _rows(sales_client)[0]

    assert (row["customer"], row["contact"]) == ("+5215544443333", "")


def test_it_previews_the_customers_last_message(sales_client, kvky):
    conversation = _waiting(kvky)
    MessageFactory(conversation=conversation, text="hola")
    MessageFactory(conversation=conversation, text="quiero hablar con un asesor,   por favor")
    MessageFactory(conversation=conversation, role=MessageRole.BOT, text="Te comunico con un asesor.")

    assert _rows(sales_client)[0]["preview"] == "quiero hablar con un asesor, por favor"


def test_it_cuts_a_long_preview(sales_client, kvky):
    MessageFactory(conversation=_waiting(kvky), text="a" * 300)

    preview = _rows(sales_client)[0]["preview"]

    assert len(preview) == 120 and preview.endswith("…")


def test_it_shows_who_has_each_conversation(sales_client, kvky):
    _waiting(kvky, assigned_to=sales_manager("ana"))

    row = _rows(sales_client)[0]

    assert (row["assignee"], row["mine"]) == ("ana", False)


def test_it_shows_the_first_staff_response_time(sales_client, kvky):
    conversation = _waiting(kvky)
    asked = MessageFactory(conversation=conversation, text="¿me ayudan?")
    answered = MessageFactory(conversation=conversation, role=MessageRole.STAFF, text="Claro.")
    Message.objects.filter(pk=answered.pk).update(created_at=asked.created_at + dt.timedelta(minutes=3, seconds=10))

    assert _rows(sales_client)[0]["response"] == "3 min"


def test_it_keeps_another_roles_conversations_out_of_the_inbox(hr_client, kvky, blinky):
    _waiting(kvky)
    hr_waiting = _waiting(blinky)

    assert [row["id"] for row in _rows(hr_client)] == [str(hr_waiting.pk)]


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, kvky):
    _waiting(kvky)

    response = client.get(DATA_URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_it_renders_the_page_with_a_take_button_and_the_count_in_the_title(sales_client, kvky):
    conversation = _waiting(kvky, profile_name="Jorge")

    page = sales_client.get(INBOX_URL)

    assert page.status_code == 200
    assert "<title>(1) Bandeja" in page.text
    assert reverse("admin:conversations_conversation_take", args=[conversation.pk]) in page.text
    assert "Jorge" in page.text


def test_it_takes_a_conversation_from_the_inbox_and_assigns_it(sales_client, kvky):
    conversation = _waiting(kvky)

    response = sales_client.post(reverse("admin:conversations_conversation_take", args=[conversation.pk]))

    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.assigned_to.username == "ventas"


def test_it_keeps_the_handoff_time_when_a_waiting_conversation_is_taken(kvky):
    conversation = _waiting(kvky, minutes_ago=30)
    handed_off_at = conversation.handoff_at

    conversation_take(conversation, sales_manager())

    conversation.refresh_from_db()
    assert conversation.handoff_at == handed_off_at


def test_it_clears_the_assignee_when_the_conversation_goes_back_to_the_bot(kvky):
    conversation = _waiting(kvky, assigned_to=sales_manager())

    conversation_release(conversation)

    conversation.refresh_from_db()
    assert (conversation.handoff, conversation.assigned_to) == (False, None)


def test_it_assigns_an_unassigned_conversation_to_whoever_replies(kvky):
    conversation = _waiting(kvky)

    staff_reply(conversation, "Hola, soy Ana.", sales_manager("ana"))

    conversation.refresh_from_db()
    assert conversation.assigned_to.username == "ana"


def test_it_leaves_the_assignee_when_someone_else_replies(kvky):
    conversation = _waiting(kvky, assigned_to=sales_manager("ana"))

    staff_reply(conversation, "Te ayudo mientras Ana regresa.", sales_manager("luis"))

    conversation.refresh_from_db()
    assert conversation.assigned_to.username == "ana"


def test_it_marks_a_first_reply_still_pending(sales_client, kvky):
    MessageFactory(conversation=_waiting(kvky), text="¿hay alguien?")

    assert _rows(sales_client)[0]["response"] == "pendiente"


def test_it_puts_the_inbox_first_in_the_conversations_section_of_the_admin_index(sales_client, kvky):
    page = sales_client.get(reverse("admin:index"))

    section = page.text[page.text.index('class="app-conversations') :]
    changelist = reverse("admin:conversations_conversation_changelist")
    assert section.index(f'<a href="{INBOX_URL}"') < section.index(f'<a href="{changelist}"')


def test_it_refuses_the_inbox_to_staff_in_no_role(kvky):
    _waiting(kvky)
    client = logged_in(StaffUserFactory(username="sinrol"))

    assert client.get(DATA_URL).status_code == 403
    assert client.get(INBOX_URL).status_code == 403


def test_it_marks_the_conversations_i_took_and_offers_no_take_button_for_them(sales_client, kvky):
    conversation = _waiting(kvky, assigned_to=sales_manager())

    assert _rows(sales_client)[0]["mine"] is True
    take_url = reverse("admin:conversations_conversation_take", args=[conversation.pk])
    assert take_url not in sales_client.get(INBOX_URL).text
