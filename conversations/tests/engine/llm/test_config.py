"""Which model answers: none without a key; the environment's settings, overridden per assistant."""

import pytest

from conversations.models import Message
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


def test_it_calls_the_assistant_endpoint_over_the_environment_one(llm_on, say, settings, db):
    other = StandIn().start()
    try:
        settings.OPENAI_BASE_URL = other.url
        assistant = AssistantFactory(slug="local", llm_base_url=llm_on.url)
        llm_on.script(text("¡Hola!"))
        say("hola", assistant=assistant)
        assert (len(llm_on.requests), len(other.requests)) == (1, 0)
    finally:
        other.stop()
