#!/usr/bin/env python
"""Turn latency while the model hangs, before and after the LLM circuit breaker opens.

    .venv/bin/python bench/llm_breaker.py [--deadline 8] [--turns-after 40] [--hang 60]

Turns go through handle_turn in-process, in LLM mode, with the real openai SDK over real HTTP to a
loopback stand-in that never answers in time (it sleeps `--hang` seconds per call). Until the breaker
opens (LLM_BREAKER_FAILURES turns) each turn waits out the deadline and the rules engine answers; after
that the rules answer at once, without contacting the stand-in, for the cool-down.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvky_site.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")  # every turn falls back: counted below, not logged

import django  # noqa: E402

django.setup()

import openai  # noqa: E402, F401 - the SDK's import takes a second or two: not inside a measured turn
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings, setup_databases, teardown_databases  # noqa: E402
from prometheus_client import REGISTRY  # noqa: E402

from conversations.engine.llm.breaker import reset_breakers  # noqa: E402
from conversations.engine.llm.client import reset_key_rings  # noqa: E402
from conversations.evaluation import milliseconds_summary  # noqa: E402
from conversations.models import Assistant, Channel, Message  # noqa: E402
from conversations.services import handle_turn  # noqa: E402
from conversations.tests.engine.llm.standin import Answer, StandIn  # noqa: E402

MESSAGES = [
    "hola",
    "¿tienen chebys de menos de 300k?",
    "¿cuánto es la mensualidad del onix a 4 años?",
    "busco un sedán automático",
    "¿dónde están?",
]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadline", type=float, default=8.0, help="LLM_TURN_DEADLINE_SECONDS (production: 8)")
    parser.add_argument("--failures", type=int, default=3, help="LLM_BREAKER_FAILURES")
    parser.add_argument("--cooldown", type=float, default=30.0, help="LLM_BREAKER_COOLDOWN_SECONDS")
    parser.add_argument("--turns-after", type=int, default=40, help="turns measured once the breaker is open")
    parser.add_argument("--hang", type=float, default=60.0, help="seconds the stand-in sleeps before answering")
    return parser.parse_args()


def _turns(assistant: Assistant, count: int, start: int) -> list[float]:
    seconds = []
    for number in range(start, start + count):
        started = time.perf_counter()
        handle_turn(
            assistant=assistant, sender=f"bench-breaker-{number:04d}", text=MESSAGES[number % len(MESSAGES)],
            channel=Channel.API,
        )  # fmt: skip
        seconds.append(time.perf_counter() - started)
    return seconds


def _counter(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0



def main() -> None:
    options = _arguments()
    old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
    standin = StandIn(policy=lambda body: Answer(delay=options.hang)).start()
    try:
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        assistant = Assistant.objects.get(slug="kvky")
        llm_settings = {
            "OPENAI_API_KEYS": ["bench"],
            "OPENAI_BASE_URL": standin.url,
            "OPENAI_MODEL": "stand-in",
            "LLM_TURN_DEADLINE_SECONDS": options.deadline,
            "LLM_BREAKER_FAILURES": options.failures,
            "LLM_BREAKER_COOLDOWN_SECONDS": options.cooldown,
        }
        with override_settings(**llm_settings):
            reset_key_rings()
            reset_breakers()
            openings, skipped = _counter("kvky_llm_breaker_openings_total"), _counter("kvky_llm_breaker_skipped_total")
            before = _turns(assistant, options.failures, 0)
            requests_before = len(standin.requests)
            after = _turns(assistant, options.turns_after, options.failures)
            requests_after = len(standin.requests) - requests_before
            fallbacks = sorted(set(Message.objects.filter(role="bot").values_list("llm_fallback", flat=True)))
            opened = _counter("kvky_llm_breaker_openings_total") - openings
            skipped = _counter("kvky_llm_breaker_skipped_total") - skipped
    finally:
        standin.stop()
        teardown_databases(old_config, verbosity=0)
    print(
        f"hanging stand-in ({options.hang:.0f} s per call), deadline {options.deadline:g} s, "
        f"breaker after {options.failures} failures, cool-down {options.cooldown:g} s"
    )
    print(f"before the breaker opens: {milliseconds_summary(before)}  stand-in requests {requests_before}")
    print(f"after it opened:          {milliseconds_summary(after)}  stand-in requests {requests_after}")
    print(f"breaker openings {opened:g}, calls skipped {skipped:g}, fallbacks stored {fallbacks}")


if __name__ == "__main__":
    main()
