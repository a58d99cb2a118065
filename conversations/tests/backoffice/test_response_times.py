"""Staff response time: from the handoff or the customer's message to the first staff reply."""

import datetime as dt

import pytest

from conversations.backoffice.response_times import (
    conversation_response_times,
    duration_text,
    response_waits,
    staff_response_summary,
    staff_response_times,
)
from conversations.models import Conversation, Message, MessageRole
from conversations.tests.factories import ConversationFactory, MessageFactory

START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def _row(role: str, minute: float, *, handoff: bool = False) -> dict:
    return {"role": role, "created_at": START + dt.timedelta(minutes=minute), "handoff": handoff}


def _message(conversation: Conversation, role: str, minute: float, **fields) -> Message:
    message = MessageFactory(conversation=conversation, role=role, **fields)
    Message.objects.filter(pk=message.pk).update(created_at=START + dt.timedelta(minutes=minute))
    return message


def test_it_measures_from_the_customer_message_that_asked_for_a_person():
    rows = [_row("user", 0), _row("bot", 0.1, handoff=True), _row("staff", 7)]

    (wait,) = response_waits(rows, with_person=True)

    assert wait.duration == dt.timedelta(minutes=7)


def test_it_measures_a_customer_message_written_while_a_person_has_the_conversation():
    rows = [_row("user", 0), _row("bot", 0, handoff=True), _row("staff", 2), _row("user", 10), _row("staff", 13)]

    waits = response_waits(rows, with_person=True)

    assert [wait.duration for wait in waits] == [dt.timedelta(minutes=2), dt.timedelta(minutes=3)]


def test_it_counts_from_the_first_of_several_unanswered_customer_messages():
    rows = [_row("bot", 0, handoff=True), _row("user", 1), _row("user", 4), _row("staff", 6)]

    (wait,) = response_waits(rows, with_person=True)

    assert wait.started_at == START
    assert wait.duration == dt.timedelta(minutes=6)


def test_it_does_not_count_customer_messages_the_bot_answered():
    rows = [_row("user", 0), _row("bot", 0.1), _row("user", 5), _row("bot", 5.1)]

    assert response_waits(rows, with_person=False) == ()


def test_it_keeps_an_unanswered_wait_open_while_a_person_has_the_conversation():
    rows = [_row("user", 0), _row("bot", 0, handoff=True), _row("user", 3)]

    (wait,) = response_waits(rows, with_person=True)

    assert (wait.started_at, wait.answered_at) == (START, None)


def test_it_forgets_a_wait_once_the_conversation_is_back_with_the_bot():
    rows = [_row("user", 0), _row("bot", 0, handoff=True), _row("user", 3)]

    assert response_waits(rows, with_person=False) == ()


@pytest.mark.django_db
def test_it_reads_each_conversations_times_from_the_stored_messages():
    quick, slow = ConversationFactory(handoff=True), ConversationFactory(handoff=True)
    for conversation, minutes in ((quick, 2), (slow, 30)):
        _message(conversation, MessageRole.USER, 0, text="quiero hablar con un asesor")
        _message(conversation, MessageRole.BOT, 0.1, text="Te comunico.", payload={"handoff": True})
        _message(conversation, MessageRole.STAFF, minutes, text="Hola, soy Ana.")

    times = staff_response_times(Conversation.objects.all())

    assert times[quick.pk].first == dt.timedelta(minutes=2)
    assert times[slow.pk].first == dt.timedelta(minutes=30)


@pytest.mark.django_db
def test_it_reports_a_conversation_still_waiting_for_its_first_reply():
    conversation = ConversationFactory(handoff=True)
    _message(conversation, MessageRole.USER, 0, text="¿hay alguien?")

    times = conversation_response_times(conversation)

    assert times.first is None
    assert times.pending_since == START


@pytest.mark.django_db
def test_it_summarises_the_answered_waits_of_many_conversations():
    for minutes in (1, 2, 9):
        conversation = ConversationFactory(handoff=True)
        _message(conversation, MessageRole.USER, 0)
        _message(conversation, MessageRole.STAFF, minutes)

    summary = staff_response_summary(Conversation.objects.all())

    assert summary.count == 3
    assert summary.average == dt.timedelta(minutes=4)
    assert summary.median == dt.timedelta(minutes=2)


@pytest.mark.django_db
def test_it_summarises_no_conversations_as_no_figure():
    assert staff_response_summary(Conversation.objects.none()).average is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(45, "45 s"), (12 * 60 + 5, "12 min"), (2 * 3600 + 5 * 60, "2 h 05 min"), (3 * 86400 + 4 * 3600, "3 d 4 h")],
)
def test_it_writes_a_duration_short_for_a_table_cell(seconds, text):
    assert duration_text(dt.timedelta(seconds=seconds)) == text


def test_it_writes_no_duration_as_a_dash():
    assert duration_text(None) == "—"
