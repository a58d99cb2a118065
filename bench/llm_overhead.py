#!/usr/bin/env python
"""The LLM layer's own overhead per turn, over the dev set, against a stand-in model with a fixed latency.

    .venv/bin/python bench/llm_overhead.py [--latency 0.05] [--dev ../shared/golden/dev.jsonl]

Every dev-set turn goes through handle_turn in LLM mode: the real openai SDK over real HTTP to a
loopback stand-in that sleeps `--latency` seconds per call and answers like a model following the
rules engine's reading (a tool call, then words copied from the tool's answer). Overhead per turn
is the turn's wall time minus calls × latency: the SDK, HTTP, prompt building, tools, grounding
guard, rules reading and storage. The same turns run once more with the rules engine alone.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvky_site.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")  # the fallbacks are counted below, not logged per turn

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings, setup_databases, teardown_databases  # noqa: E402

from conversations.engine.llm.client import reset_key_rings  # noqa: E402
from conversations.engine.llm.usage import usage_summary  # noqa: E402
from conversations.evaluation import Scoreboard, TurnOutcome, check_turn, milliseconds_summary  # noqa: E402
from conversations.models import Assistant, Channel, Message  # noqa: E402
from conversations.services import handle_turn  # noqa: E402

SHARED = ROOT.parent / "shared"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=SHARED / "golden" / "dev.jsonl")
    parser.add_argument("--catalog", type=Path, default=SHARED / "data" / "kavak_catalog.csv")
    parser.add_argument("--faqs", type=Path, default=SHARED / "data" / "hr_onboarding_faqs.csv")
    parser.add_argument("--latency", type=float, default=0.05, help="the stand-in's seconds per call")
    return parser.parse_args()


def _start_standin(latency: float) -> subprocess.Popen:
    """The stand-in in its own process, so its JSON and sleeping do not compete with the stack measured."""
    command = [sys.executable, "-m", "conversations.tests.engine.llm.standin", "--latency", str(latency)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)


def _load(catalog: Path, faqs: Path) -> None:
    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("seed_demo", **quiet)
    if catalog.is_file():
        call_command("import_catalog", str(catalog), replace=True, **quiet)
    if faqs.is_file():
        call_command("import_faqs", "blinky", str(faqs), replace=True, **quiet)


def _run(conversations: list[dict[str, Any]], latency: float) -> tuple[list[dict[str, float]], Scoreboard]:
    assistants = {assistant.slug: assistant for assistant in Assistant.objects.all()}
    run, timings, board = uuid.uuid4().hex[:6], [], Scoreboard()
    for number, conversation in enumerate(conversations):
        sender = f"bench-{run}-{number:04d}"
        for index, turn in enumerate(conversation["turns"]):
            started = time.perf_counter()
            result = handle_turn(
                assistant=assistants[conversation["assistant"]], sender=sender, text=turn["user"], channel=Channel.API
            )
            seconds = time.perf_counter() - started
            calls = Message.objects.filter(role="bot").latest("id").llm_calls
            timings.append({"total": seconds, "calls": calls, "overhead": seconds - calls * latency})
            data = result.as_dict()
            outcome = TurnOutcome(conversation["id"], index + 1, turn["user"], turn, data, check_turn(turn, data), 0)
            board.add(outcome)
    return timings, board



def main() -> None:
    options = _arguments()
    if not options.dev.is_file():
        sys.exit(f"No encuentro el dev set en {options.dev} (usa --dev).")
    conversations = [json.loads(line) for line in options.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
    standin = _start_standin(options.latency)
    try:
        _load(options.catalog, options.faqs)
        with override_settings(OPENAI_API_KEYS=[]):
            rules, _ = _run(conversations, 0.0)
        url = standin.stdout.readline().strip()
        llm_settings = {"OPENAI_API_KEYS": ["bench"], "OPENAI_BASE_URL": url, "OPENAI_MODEL": "stand-in"}
        with override_settings(**llm_settings):
            reset_key_rings()
            _run(conversations[:1], options.latency)  # warm-up: SDK client, connection pool, caches
            Message.objects.all().delete()
            llm, board = _run(conversations, options.latency)
            usage = usage_summary(Message.objects.all())
    finally:
        standin.terminate()
        standin.wait(timeout=10)
        teardown_databases(old_config, verbosity=0)
    calls = Counter(timing["calls"] for timing in llm)
    metrics = board.metrics()
    latency_ms = options.latency * 1000
    print(f"dev set: {metrics['conversations']} conversations, {len(llm)} turns; stand-in {latency_ms:.0f} ms per call")
    print(f"rules engine alone, per turn:   {milliseconds_summary([t['total'] for t in rules])}")
    print(f"LLM mode, total per turn:       {milliseconds_summary([t['total'] for t in llm])}")
    overhead = milliseconds_summary([t["overhead"] for t in llm])
    print(f"LLM mode, overhead per turn:    {overhead}  (total − calls × latency)")
    print(
        f"model calls per turn:           mean {usage['calls_per_turn']}  max {usage['max_calls_in_a_turn']}  "
        f"distribution {dict(sorted(calls.items()))}"
    )
    print(f"rules engine answered instead:  {usage['rules_answered']} turns {usage['fallbacks']}")
    print(
        f"golden checks in LLM mode:      intent {metrics['intent_accuracy']}  tool {metrics['tool_accuracy']}  "
        f"pass {metrics['pass_rate']}  (a scripted stand-in, not a model: this measures plumbing)"
    )


if __name__ == "__main__":
    main()
