"""Speed of understanding: the engine's time per message, in-process, over the golden sets.

    .venv/bin/python bench/engine_latency.py [FILE.jsonl …] [--rounds N]

Prints the start-up cost (loading and validating the language data, training the intent models),
then p50 / p99 / max of
  - NLU: normalise → numbers → vocabulary → slots → intent (`understand`), per message;
  - a full turn: `handle_turn` (store, understand, decide with its tools, reply, store), per message.
Runs against a throw-away database loaded with the demo data (as `evaluate` does).
Targets (issue 14): start-up ≤ 5 s, NLU ≤ 1 ms p50, full turn ≤ 5 ms p50.
"""

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvky_site.settings")


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    pick = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
    return {
        "p50": round(pick(0.5), 3),
        "p99": round(pick(0.99), 3),
        "max": round(ordered[-1], 3),
        "mean": round(statistics.fmean(ordered), 3),
        "n": len(ordered),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "files", nargs="*", default=[str(ROOT / "golden" / "sales.jsonl"), str(ROOT / "golden" / "onboarding.jsonl")]
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    from nlu import language, pipeline

    files = language.validate_all()
    pipeline.warm_up()
    startup_s = time.perf_counter() - started
    examples = len(pipeline.shipped_examples().examples)
    print(f"start-up: {startup_s:.2f} s ({files} language files, {examples} intent examples, 2 models)   target <= 5")

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_databases, teardown_databases

    from catalog.vocabulary import get_vocabulary
    from conversations.engine.faq_index import get_faq_index
    from conversations.models import Assistant
    from conversations.services import handle_turn
    from nlu.pipeline import understand
    from nlu.state import DialogueState

    conversations = [json.loads(line) for path in args.files for line in Path(path).read_text().splitlines() if line]
    old = setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
    try:
        call_command("seed_demo", stdout=io.StringIO())
        assistants = {a.slug: a for a in Assistant.objects.all()}
        nlu_ms, turn_ms = [], []
        for round_number in range(args.rounds):
            for number, conversation in enumerate(conversations):
                assistant = assistants[conversation["assistant"]]
                vocabulary = get_vocabulary() if assistant.is_sales else None
                faq_index = get_faq_index(assistant)
                sender = f"bench-{round_number}-{number}"
                for turn in conversation["turns"]:
                    started = time.perf_counter()
                    understand(
                        turn["user"],
                        state=DialogueState(),
                        vocabulary=vocabulary,
                        faq_index=faq_index,
                        kind=assistant.kind,
                    )
                    nlu_ms.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    handle_turn(assistant=assistant, sender=sender, text=turn["user"], channel="api")
                    turn_ms.append((time.perf_counter() - started) * 1000)
    finally:
        teardown_databases(old, verbosity=0)
    print(f"messages: {len(nlu_ms)} ({args.rounds} rounds over {len(conversations)} conversations)")
    print(f"NLU (understand)      ms: {percentiles(nlu_ms)}   target p50 <= 1")
    print(f"full turn (handle_turn) ms: {percentiles(turn_ms)}   target p50 <= 5")


if __name__ == "__main__":
    main()
