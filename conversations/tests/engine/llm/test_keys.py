"""Several API keys: rotated across calls; a key that answers 429 cools down and another one answers."""

import pytest

from conversations.engine.llm.client import KeyRing
from conversations.models import Message
from conversations.tests.engine.llm.standin import error, text


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def two_keys(llm_on, settings):
    settings.OPENAI_API_KEYS = ["sk-one", "sk-two"]
    return llm_on


def _keys_used(standin) -> list[str]:
    return [request.api_key for request in standin.requests]


def test_it_takes_the_keys_in_turn():
    ring = KeyRing(("a", "b", "c"))
    assert [ring.next_key() for _ in range(4)] == ["a", "b", "c", "a"]


def test_it_skips_a_key_while_it_cools_down():
    clock = FakeClock()
    ring = KeyRing(("a", "b"), clock=clock)
    ring.cool_down("a", 30)
    assert [ring.next_key() for _ in range(3)] == ["b", "b", "b"]


def test_it_takes_a_key_back_once_it_cooled_down():
    clock = FakeClock()
    ring = KeyRing(("a", "b"), clock=clock)
    ring.cool_down("a", 30)
    clock.now += 31
    assert {ring.next_key() for _ in range(2)} == {"a", "b"}


def test_it_has_no_key_when_every_key_cools_down():
    ring = KeyRing(("a", "b"), clock=FakeClock())
    ring.cool_down("a", 30)
    ring.cool_down("b", 30)
    assert ring.next_key() is None


@pytest.mark.django_db
def test_it_rotates_the_keys_across_turns(two_keys, say, kvky):
    two_keys.script(text("¡Hola!"), text("¡Hola de nuevo!"))
    say("hola")
    say("hola otra vez")
    assert _keys_used(two_keys) == ["sk-one", "sk-two"]


@pytest.mark.django_db
def test_it_asks_again_with_another_key_after_a_429(two_keys, say, kvky):
    two_keys.script(error(429), text("¡Hola! ¿Qué auto buscas?"))
    result = say("hola")
    assert result.reply == "¡Hola! ¿Qué auto buscas?"
    assert _keys_used(two_keys) == ["sk-one", "sk-two"]


@pytest.mark.django_db
def test_it_leaves_a_key_that_answered_429_out_of_later_turns(two_keys, say, kvky):
    two_keys.script(error(429, retry_after=60), text("¡Hola!"), text("Claro."), text("Con gusto."))
    say("hola")
    say("gracias")
    say("una pregunta")
    assert _keys_used(two_keys) == ["sk-one", "sk-two", "sk-two", "sk-two"]


@pytest.mark.django_db
def test_it_answers_with_the_rules_engine_when_the_only_key_answers_429(llm_on, say, kvky):
    llm_on.script(error(429))
    result = say("hola")
    assert result.reply
    assert Message.objects.filter(role="bot").get().llm_fallback == "rate_limited"


@pytest.mark.django_db
def test_it_calls_no_model_while_every_key_cools_down(llm_on, say, kvky):
    llm_on.script(error(429, retry_after=60), text("¡Hola!"))
    say("hola")
    say("hola otra vez")
    assert len(llm_on.requests) == 1


@pytest.mark.django_db
def test_it_leaves_a_refused_key_out_too(two_keys, say, kvky):
    two_keys.script(error(401), text("¡Hola!"), text("Claro."))
    say("hola")
    say("gracias")
    assert _keys_used(two_keys) == ["sk-one", "sk-two", "sk-two"]
