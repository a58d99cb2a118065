import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conversations.models import Assistant, Conversation, Message, MessageRole
from conversations.selectors import AssistantNotFound, assistant_resolve, conversation_staff_response_times
from conversations.services import staff_reply
from conversations.tests.backoffice.users import StaffUserFactory
from conversations.tests.factories import AssistantFactory, ChannelNumberFactory, ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db


def test_it_resolves_an_assistant_by_slug_without_a_query_once_cached(django_assert_num_queries) -> None:
    AssistantFactory(slug="kvky")
    assistant_resolve(slug="kvky", to=None)
    with django_assert_num_queries(0):
        assert assistant_resolve(slug="kvky", to=None).slug == "kvky"


def test_it_resolves_an_assistant_by_a_number_added_after_the_cache_was_built() -> None:
    assistant = AssistantFactory(slug="kvky")
    assistant_resolve(slug="kvky", to=None)
    ChannelNumberFactory(assistant=assistant, number="+14155238886")
    assert assistant_resolve(slug=None, to="whatsapp:+1 415 523 8886").slug == "kvky"


def test_it_sees_an_assistant_edited_in_this_process_at_once() -> None:
    assistant = AssistantFactory(slug="kvky")
    assistant_resolve(slug="kvky", to=None)
    assistant.annual_rate = Decimal("0.12")
    assistant.save()
    assert assistant_resolve(slug="kvky", to=None).annual_rate == Decimal("0.12")


def test_it_sees_an_assistant_edited_by_another_process_after_the_recheck_interval(settings) -> None:
    settings.ENGINE_CACHE_RECHECK_SECONDS = 0
    assistant = AssistantFactory(slug="kvky")
    assistant_resolve(slug="kvky", to=None)
    Assistant.objects.filter(pk=assistant.pk).update(name="Otro", updated_at=assistant.updated_at.replace(year=2099))
    assert assistant_resolve(slug="kvky", to=None).name == "Otro"


def test_it_forgets_a_deleted_assistant() -> None:
    assistant = AssistantFactory(slug="kvky")
    assistant_resolve(slug="kvky", to=None)
    assistant.delete()
    with pytest.raises(AssistantNotFound):
        assistant_resolve(slug="kvky", to=None)


def test_it_gives_each_caller_its_own_copy() -> None:
    AssistantFactory(slug="kvky", name="KVKy")
    assistant_resolve(slug="kvky", to=None).name = "Cambiado"
    assert assistant_resolve(slug="kvky", to=None).name == "KVKy"


def test_it_times_the_first_staff_message_after_the_last_handoff() -> None:
    handed_at = timezone.now() - dt.timedelta(hours=1)
    conversation = ConversationFactory()
    Conversation.objects.filter(pk=conversation.pk).update(handoff=True, handoff_at=handed_at)
    for minutes in (-30, 4, 9):  # one before the handoff (an earlier one) and two after it
        message = MessageFactory(conversation=conversation, role=MessageRole.STAFF)
        Message.objects.filter(pk=message.pk).update(created_at=handed_at + dt.timedelta(minutes=minutes))
    untouched = ConversationFactory(sender="+5215599999999")

    times = conversation_staff_response_times(Conversation.objects.all())

    assert times == {conversation.pk: dt.timedelta(minutes=4)}
    assert untouched.pk not in times


def test_it_counts_a_reply_that_takes_the_conversation_as_answered_at_once() -> None:
    conversation = ConversationFactory()
    staff_reply(conversation, "Hola, te atiendo yo.", StaffUserFactory(username="ana"))

    (time,) = conversation_staff_response_times(Conversation.objects.all()).values()
    assert time is not None and time.total_seconds() < 1
