from collections.abc import Callable, Iterator
from decimal import Decimal

import openai  # noqa: F401 - the SDK import takes a second or two: pay it once, not in a timed test
import pytest

from catalog.tests.factories import VehicleFactory
from conversations.engine.llm.breaker import reset_breakers
from conversations.engine.llm.client import reset_key_rings
from conversations.engine.result import TurnResult
from conversations.models import Channel
from conversations.services import handle_turn
from conversations.tests.engine.llm.standin import StandIn
from conversations.tests.factories import AssistantFactory

SENDER = "+5215512345678"


@pytest.fixture
def standin() -> Iterator[StandIn]:
    server = StandIn().start()
    yield server
    server.stop()


@pytest.fixture
def llm_on(settings, standin: StandIn) -> Iterator[StandIn]:
    """The LLM layer configured against the stand-in, with one key, fresh cool-downs and a closed breaker."""
    settings.OPENAI_API_KEYS = ["sk-test-one"]
    settings.OPENAI_BASE_URL = standin.url
    settings.OPENAI_MODEL = "stand-in-model"
    settings.LLM_TURN_DEADLINE_SECONDS = 5.0
    settings.LLM_MAX_CALLS_PER_TURN = 3
    settings.LLM_HISTORY_TOKEN_BUDGET = 1500
    settings.LLM_KEY_COOLDOWN_SECONDS = 60.0
    settings.LLM_BREAKER_FAILURES = 3
    settings.LLM_BREAKER_COOLDOWN_SECONDS = 30.0
    reset_key_rings()
    reset_breakers()
    yield standin
    reset_key_rings()
    reset_breakers()


@pytest.fixture
def kvky(db):
    return AssistantFactory()


@pytest.fixture
def onix(db):
    return VehicleFactory(stock_id="311726", make="Chevrolet", model="Onix", year=2021, km=28430, price=Decimal(226999))


@pytest.fixture
def aveo(db):
    return VehicleFactory(stock_id="282292", make="Chevrolet", model="Aveo", year=2016, km=71000, price=Decimal(149999))


@pytest.fixture
def say(kvky) -> Callable[..., TurnResult]:
    """One customer turn through handle_turn, as every channel runs it."""

    def send(text: str, *, assistant=None, sender: str = SENDER) -> TurnResult:
        return handle_turn(assistant=assistant or kvky, sender=sender, text=text, channel=Channel.API)

    return send
