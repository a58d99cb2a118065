"""The API's `from`: a phone is one customer whatever its format, stored in E.164; other ids stay as sent."""

import pytest

from conversations.models import Conversation
from conversations.tests.factories import AssistantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kvky():
    return AssistantFactory()


def test_it_stores_a_phone_from_in_e164(post_chat):
    post_chat({"assistant": "kvky", "from": "+52 55 1234 9876", "message": "hola"})

    assert Conversation.objects.get().sender == "+525512349876"


def test_it_keeps_one_conversation_for_one_phone_written_two_ways(post_chat):
    for sender in ["(55) 1234 9876", "+5215512349876"]:
        post_chat({"assistant": "kvky", "from": sender, "message": "hola"})

    assert Conversation.objects.count() == 1
