"""The circuit breaker: a hanging or failing model stops costing every turn its deadline."""

import time

import pytest
from prometheus_client import REGISTRY

from conversations.engine.llm.breaker import BreakerState, CircuitBreaker
from conversations.models import Message
from conversations.tests.engine.llm.standin import error, text

pytestmark = pytest.mark.django_db

HANG = 3.0  # seconds the hanging stand-in takes: far past the test deadline
DEADLINE = 0.3
COOLDOWN = 0.2


@pytest.fixture
def breaker_settings(llm_on, settings):
    settings.LLM_TURN_DEADLINE_SECONDS = DEADLINE
    settings.LLM_BREAKER_FAILURES = 3
    settings.LLM_BREAKER_COOLDOWN_SECONDS = 30.0
    return settings


def _bot_message() -> Message:
    return Message.objects.filter(role="bot").latest("id")


def _fail(standin, say, *answers) -> None:
    """One turn per answer, each meant to fail."""
    for answer in answers:
        standin.script(answer)
        say("hola")


def _metric(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_it_skips_the_model_after_three_deadlines_in_a_row(breaker_settings, llm_on, say, kvky):
    _fail(llm_on, say, *[text("tarde", delay=HANG) for _ in range(3)])
    say("hola")
    assert len(llm_on.requests) == 3


def test_it_skips_the_model_after_three_server_errors_in_a_row(breaker_settings, llm_on, say, kvky):
    _fail(llm_on, say, error(500), error(502), error(503))
    say("hola")
    assert len(llm_on.requests) == 3


def test_it_answers_a_skipped_turn_with_the_rules_at_once(breaker_settings, llm_on, say, kvky):
    _fail(llm_on, say, *[text("tarde", delay=HANG) for _ in range(3)])
    llm_on.script(text("tarde", delay=HANG))  # what the turn would wait for without the breaker
    started = time.perf_counter()
    say("hola")
    assert time.perf_counter() - started < DEADLINE


def test_it_records_circuit_open_as_the_fallback_of_a_skipped_turn(breaker_settings, llm_on, say, kvky):
    _fail(llm_on, say, error(500), error(500), error(500))
    say("hola")
    message = _bot_message()
    assert (message.llm_fallback, message.llm_calls) == ("circuit_open", 0)


def test_it_keeps_calling_the_model_when_a_4xx_breaks_the_run_of_failures(breaker_settings, llm_on, say, kvky):
    _fail(llm_on, say, error(500), error(500), error(400), error(500), error(500))
    llm_on.script(text("¡Hola!"))
    say("hola")
    assert (len(llm_on.requests), _bot_message().llm_fallback) == (6, "")


def test_it_keeps_calling_the_model_when_a_success_breaks_the_run_of_failures(breaker_settings, llm_on, say, kvky):
    _fail(llm_on, say, error(500), error(500))
    llm_on.script(text("¡Hola!"))
    say("hola")
    _fail(llm_on, say, error(500), error(500))
    llm_on.script(text("¡Hola otra vez!"))
    say("hola")
    assert (len(llm_on.requests), _bot_message().llm_fallback) == (6, "")


def test_it_follows_the_configured_number_of_failures(breaker_settings, llm_on, say, kvky):
    breaker_settings.LLM_BREAKER_FAILURES = 1
    _fail(llm_on, say, error(500))
    say("hola")
    assert len(llm_on.requests) == 1


def test_it_lets_a_probe_through_after_the_cooldown_and_closes_on_its_answer(breaker_settings, llm_on, say, kvky):
    breaker_settings.LLM_BREAKER_COOLDOWN_SECONDS = COOLDOWN
    _fail(llm_on, say, error(500), error(500), error(500))
    say("hola")  # skipped: still cooling down
    time.sleep(COOLDOWN + 0.05)
    llm_on.script(text("¡Hola!"), text("¡Hola de nuevo!"))
    say("hola")
    say("hola")  # closed again: no cool-down in between
    assert (len(llm_on.requests), _bot_message().llm_fallback) == (5, "")


def test_it_skips_the_model_again_when_the_probe_fails(breaker_settings, llm_on, say, kvky):
    breaker_settings.LLM_BREAKER_COOLDOWN_SECONDS = COOLDOWN
    _fail(llm_on, say, error(500), error(500), error(500))
    time.sleep(COOLDOWN + 0.05)
    _fail(llm_on, say, error(500))
    say("hola")
    assert (len(llm_on.requests), _bot_message().llm_fallback) == (4, "circuit_open")


def test_it_lets_only_one_probe_through_while_half_open():
    clock = FakeClock()
    breaker = CircuitBreaker(3, 30.0, clock=clock)
    for _ in range(3):
        breaker.failed()
    clock.now += 30.0
    assert [breaker.allow(), breaker.allow(), breaker.state] == [True, False, BreakerState.HALF_OPEN]


def test_it_stays_open_until_the_cooldown_has_passed():
    clock = FakeClock()
    breaker = CircuitBreaker(3, 30.0, clock=clock)
    for _ in range(3):
        breaker.failed()
    clock.now += 29.9
    assert (breaker.allow(), breaker.state) == (False, BreakerState.OPEN)


def test_it_counts_an_opening_in_metrics(breaker_settings, llm_on, say, kvky):
    openings = _metric("kvky_llm_breaker_openings_total")
    _fail(llm_on, say, error(500), error(500), error(500))
    assert _metric("kvky_llm_breaker_openings_total") - openings == 1


def test_it_counts_skipped_calls_in_metrics(breaker_settings, llm_on, say, kvky):
    _fail(llm_on, say, error(500), error(500), error(500))
    skipped = _metric("kvky_llm_breaker_skipped_total")
    say("hola")
    say("hola")
    assert _metric("kvky_llm_breaker_skipped_total") - skipped == 2


def test_it_exposes_the_breaker_counters_at_metrics(client):
    exposed = client.get("/metrics", REMOTE_ADDR="127.0.0.1").text
    assert ("kvky_llm_breaker_openings_total" in exposed, "kvky_llm_breaker_skipped_total" in exposed) == (True, True)


def test_it_shows_an_open_breaker_in_metrics(breaker_settings, llm_on, say, kvky, client):
    _fail(llm_on, say, error(500), error(500), error(500))
    exposed = client.get("/metrics", REMOTE_ADDR="127.0.0.1").text
    assert "kvky_llm_breaker_open 1.0" in exposed
