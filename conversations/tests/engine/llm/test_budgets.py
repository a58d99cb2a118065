"""Budgets: the turn's deadline, the calls per turn, the history's tokens; what each turn cost is stored."""

import time

import pytest

from conversations.engine.llm.prompt import estimate_tokens
from conversations.models import Conversation, Message
from conversations.tests.engine.llm.conftest import SENDER
from conversations.tests.engine.llm.standin import text, tool_call
from conversations.tests.factories import ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db


def _bot_message() -> Message:
    return Message.objects.filter(role="bot").latest("id")


def _history_sent(request) -> list[str]:
    """The earlier messages of a request: everything between the system prompt and the turn's reading."""
    messages = request.body["messages"]
    reading = next(i for i, m in enumerate(messages) if m["role"] == "system" and m["content"].startswith("Lectura"))
    return [m["content"] for m in messages[1:reading]]


def test_it_answers_with_the_rules_engine_when_the_model_misses_the_deadline(llm_on, say, settings, kvky):
    settings.LLM_TURN_DEADLINE_SECONDS = 0.3
    llm_on.script(text("¡Hola! Llegué tarde.", delay=2.0))
    started = time.perf_counter()
    result = say("hola")
    assert time.perf_counter() - started < 1.5
    assert result.reply != "¡Hola! Llegué tarde."
    assert _bot_message().llm_fallback == "deadline"


def test_it_counts_tool_time_against_the_deadline(llm_on, say, settings, onix):
    settings.LLM_TURN_DEADLINE_SECONDS = 0.5
    llm_on.script(tool_call("search_vehicles", {"model": "Onix"}), text("Tengo el Chevrolet Onix 2021.", delay=0.8))
    say("¿tienen onix?")
    assert _bot_message().llm_fallback == "deadline"


def test_it_makes_at_most_the_allowed_model_calls_per_turn(llm_on, say, onix):
    llm_on.script(*[tool_call("search_vehicles", {"model": "Onix"}) for _ in range(5)])
    say("¿tienen onix?")
    assert len(llm_on.requests) == 3
    assert _bot_message().llm_fallback == "call_budget"


def test_it_asks_for_words_not_tools_on_the_last_allowed_call(llm_on, say, onix):
    llm_on.script(*[tool_call("search_vehicles", {"model": "Onix"}) for _ in range(2)], text("Tengo el Onix."))
    say("¿tienen onix?")
    assert [request.body["tool_choice"] for request in llm_on.requests] == ["auto", "auto", "none"]


def test_it_follows_the_configured_calls_per_turn(llm_on, say, settings, onix):
    settings.LLM_MAX_CALLS_PER_TURN = 1
    llm_on.script(tool_call("search_vehicles", {"model": "Onix"}), text("Tengo el Onix."))
    say("¿tienen onix?")
    assert len(llm_on.requests) == 1


def test_it_sends_the_history_oldest_first(llm_on, say, kvky):
    llm_on.script(text("¡Hola!"), text("Claro."))
    say("hola")
    say("gracias")
    assert _history_sent(llm_on.requests[1]) == ["hola", "¡Hola!"]


def test_it_trims_the_history_to_the_token_budget(llm_on, say, settings, kvky):
    conversation = ConversationFactory(assistant=kvky, sender=SENDER)
    for number in range(30):
        MessageFactory(conversation=conversation, role="user", text=f"mensaje {number:02d} " + "bla " * 40)
    settings.LLM_HISTORY_TOKEN_BUDGET = 200
    llm_on.script(text("¡Hola!"))
    say("hola otra vez")
    sent = _history_sent(llm_on.requests[0])
    assert sent[-1].startswith("mensaje 29")
    assert sum(estimate_tokens(content) for content in sent) <= 200
    assert not any(content.startswith("mensaje 25") for content in sent)


def test_it_leaves_the_turn_message_out_of_the_history(llm_on, say, kvky):
    llm_on.script(text("¡Hola!"))
    say("hola")
    assert _history_sent(llm_on.requests[0]) == []


def test_it_stores_the_tokens_the_model_used(llm_on, say, onix):
    llm_on.script(
        tool_call("search_vehicles", {"model": "Onix"}, prompt_tokens=100, completion_tokens=20),
        text("Tengo el Chevrolet Onix 2021.", prompt_tokens=150, completion_tokens=30),
    )
    say("¿tienen onix?")
    message = _bot_message()
    assert (message.llm_calls, message.llm_prompt_tokens, message.llm_completion_tokens) == (2, 250, 50)


def test_it_stores_the_model_latency_and_name(llm_on, say, kvky):
    llm_on.script(text("¡Hola!", delay=0.05))
    say("hola")
    message = _bot_message()
    assert message.llm_model == "stand-in-model"
    assert message.llm_latency_ms >= 50


def test_it_stores_the_new_state_once_per_turn_in_llm_mode(llm_on, say, onix):
    llm_on.script(tool_call("search_vehicles", {"model": "Onix"}), text("Tengo el Chevrolet Onix 2021."))
    say("¿tienen onix?")
    conversation = Conversation.objects.get()
    assert (conversation.turns, conversation.state["focus_stock_id"]) == (1, "311726")
