"""Which model answers: none without a key; the operator's endpoint and keys, the model name per assistant."""

import pytest
from django.forms import model_to_dict
from django.urls import reverse

from conversations.models import Message
from conversations.tests.backoffice.users import logged_in, sales_manager
from conversations.tests.engine.llm.standin import StandIn, text
from conversations.tests.factories import AssistantFactory

pytestmark = pytest.mark.django_db


def _bot_message() -> Message:
    return Message.objects.filter(role="bot").latest("id")


def test_it_calls_no_model_without_a_key(settings, standin, say, kvky):
    settings.OPENAI_API_KEYS = []
    settings.OPENAI_BASE_URL = standin.url
    say("hola")
    assert standin.requests == []


def test_it_stores_no_model_usage_without_a_key(say, kvky):
    say("hola")
    message = _bot_message()
    assert (message.llm_model, message.llm_calls, message.llm_fallback, message.grounding_events) == ("", 0, "", [])


def test_it_calls_no_model_for_an_assistant_that_opted_out(llm_on, say, db):
    assistant = AssistantFactory(slug="solo-reglas", llm_enabled=False)
    say("hola", assistant=assistant)
    assert llm_on.requests == []


def test_it_asks_for_the_assistant_model_over_the_environment_one(llm_on, say, db):
    assistant = AssistantFactory(slug="local", llm_model="llama3.1:8b")
    llm_on.script(text("¡Hola!"))
    say("hola", assistant=assistant)
    assert llm_on.requests[0].body["model"] == "llama3.1:8b"


def test_it_asks_for_the_environment_model_by_default(llm_on, say, kvky):
    llm_on.script(text("¡Hola!"))
    say("hola")
    assert llm_on.requests[0].body["model"] == "stand-in-model"


def test_it_sends_the_key_only_to_the_operator_endpoint_whatever_staff_posted(llm_on, say, kvky):
    attacker = StandIn().start()
    try:
        staff = logged_in(sales_manager())
        form = {name: "" if value is None else value for name, value in model_to_dict(kvky).items()}
        posted = staff.post(
            reverse("admin:conversations_assistant_change", args=[kvky.pk]),
            {**form, "llm_base_url": attacker.url, "channel_numbers-TOTAL_FORMS": "0",
             "channel_numbers-INITIAL_FORMS": "0"},
        )  # fmt: skip
        assert posted.status_code == 302
        kvky.refresh_from_db()  # the next turn reads the assistant as staff left it
        llm_on.script(text("¡Hola!"))
        say("hola")
        assert (attacker.requests, [request.api_key for request in llm_on.requests]) == ([], ["sk-test-one"])
    finally:
        attacker.stop()
