"""A forgotten customer stays forgotten: an old signed webhook replayed later brings nothing back."""

import pytest

from conversations.models import Conversation, Message
from conversations.privacy import customer_forget
from conversations.tests.channels.conftest import twiml_messages
from conversations.tests.channels.twilio_fakes import CUSTOMER, webhook_params

pytestmark = pytest.mark.django_db


def test_it_refuses_silently_a_replayed_webhook_of_a_forgotten_customer(post_signed, kvky):
    params = webhook_params("hola, soy Ana")
    post_signed(params)
    customer_forget(CUSTOMER)

    replay = post_signed(params)

    assert (replay.status_code, twiml_messages(replay)) == (200, [])
    assert (Conversation.objects.count(), Message.objects.count()) == (0, 0)
