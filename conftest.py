from pathlib import Path

import pytest

pytest_plugins = ["conversations.tests.browser"]  # the `browser` fixture for the browser tests

SHARED = Path(__file__).resolve().parent.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the checkout (the Kavak sample data, the dev golden set); skip where absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture(autouse=True, scope="session")
def _trained_intent_models() -> None:
    """Train the intent models once per test process, as a server does at start-up, not inside a timed turn."""
    from nlu import pipeline

    pipeline.warm_up()


@pytest.fixture(autouse=True)
def _no_real_llm(settings) -> None:
    """Tests never reach a real model, whatever OPENAI_API_KEY the shell exports; LLM tests opt back in."""
    settings.OPENAI_API_KEYS = []


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate counters and throttles live in Django's (process-wide) cache: no test may inherit another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_engine_caches():
    """A test's rolled-back rows send no signal: forget the vocabulary, FAQ indexes and assistants built from them."""
    from kvky_site.watched_cache import invalidate_all

    invalidate_all()
    yield
    invalidate_all()
