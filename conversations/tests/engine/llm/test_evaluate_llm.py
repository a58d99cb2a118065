"""`evaluate --llm` measures the model path; without the flag the rules engine answers alone, key or no key.

Each test runs `manage.py evaluate` in a subprocess (it builds its own throw-away database) against a
stand-in served from this process: a few seconds each, hence the `slow` mark.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conversations.tests.engine.llm.standin import ReadingPolicy, StandIn

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[4]
GOLDEN = {"id": "llm-1", "assistant": "kvky", "turns": [{"user": "hola", "intent": "greet"}]}


@pytest.fixture
def policy_standin():
    server = StandIn(policy=ReadingPolicy()).start()
    yield server
    server.stop()


def _evaluate(golden: Path, url: str, *flags: str) -> dict:
    env = {**os.environ, "OPENAI_API_KEYS": "sk-eval", "OPENAI_BASE_URL": url, "LOG_LEVEL": "ERROR"}
    command = [sys.executable, "manage.py", "evaluate", str(golden), "--json", *flags]
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr[-2000:]
    return json.loads(finished.stdout.strip().splitlines()[-1])


@pytest.fixture
def golden(tmp_path: Path) -> Path:
    path = tmp_path / "golden.jsonl"
    path.write_text(json.dumps(GOLDEN, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_it_answers_through_the_model_with_the_llm_flag(policy_standin, golden):
    metrics = _evaluate(golden, policy_standin.url, "--llm")
    assert len(policy_standin.requests) == 1
    assert (metrics["intent_accuracy"], metrics["llm"]["model_calls"]) == (1.0, 1)


def test_it_answers_with_the_rules_engine_alone_without_the_flag(policy_standin, golden):
    metrics = _evaluate(golden, policy_standin.url)
    assert policy_standin.requests == []
    assert "llm" not in metrics
