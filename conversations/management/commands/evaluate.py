"""Run golden conversations in-process, against a throw-away database, through handle_turn."""

import io
import json
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings, setup_databases, teardown_databases

from conversations.engine.llm.usage import usage_summary
from conversations.evaluation import Scoreboard, TurnOutcome, check_turn
from conversations.models import Assistant, Channel, Message
from conversations.services import handle_turn

BARS = (
    ("min_intent", "intent_accuracy", lambda got, bar: got >= bar),
    ("max_slot_error", "slot_error_rate", lambda got, bar: got <= bar),
    ("min_tool", "tool_accuracy", lambda got, bar: got >= bar),
    ("min_pass", "pass_rate", lambda got, bar: got >= bar),
)


class Command(BaseCommand):
    help = "Evalúa conversaciones golden (JSON Lines) contra el motor, en una base de datos desechable."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--catalog", type=Path, help="CSV del catálogo a cargar (por omisión, el demo)")
        parser.add_argument("--faqs", action="append", default=[], metavar="ASSISTANT=CSV")
        parser.add_argument("--json", action="store_true", help="imprime solo las métricas en JSON")
        parser.add_argument("--failures", type=int, default=60, help="cuántos turnos fallidos mostrar")
        parser.add_argument(
            "--llm", action="store_true", help="responde con el modelo configurado (OPENAI_API_KEY); si no, solo reglas"
        )
        for option, metric, _ in BARS:
            parser.add_argument(f"--{option.replace('_', '-')}", type=float, dest=option, help=f"barra de {metric}")

    def handle(self, *args: Any, **options: Any) -> None:
        conversations = _read_golden(options["files"])
        faq_files = [_parse_faq_option(value) for value in options["faqs"]]
        if options["llm"] and not settings.OPENAI_API_KEYS:
            raise CommandError("--llm necesita OPENAI_API_KEY (u OPENAI_API_KEYS) y, si no es OpenAI, OPENAI_BASE_URL.")
        llm_usage = None
        old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
        try:
            self._load_data(options["catalog"], faq_files)
            # Without --llm the rules engine answers alone, whatever key the environment holds.
            with override_settings(OPENAI_API_KEYS=settings.OPENAI_API_KEYS if options["llm"] else []):
                board = self._run(conversations)
            llm_usage = usage_summary(Message.objects.all()) if options["llm"] else None
        finally:
            teardown_databases(old_config, verbosity=0)
        metrics = board.metrics()
        if llm_usage is not None:
            metrics["llm"] = llm_usage
        short = [
            metric
            for option, metric, holds in BARS
            if options[option] is not None and (metrics[metric] is None or not holds(metrics[metric], options[option]))
        ]
        metrics["short_of"] = short
        if options["json"]:
            self.stdout.write(json.dumps(metrics, ensure_ascii=False))
        else:
            self._print_report(board, metrics, options["failures"])
        if short:
            raise CommandError(f"Por debajo de la barra: {', '.join(short)}")

    def _load_data(self, catalog: Path | None, faq_files: list[tuple[str, Path]]) -> None:
        quiet = {"verbosity": 0, "stdout": io.StringIO()}
        call_command("seed_demo", **quiet)
        if catalog:
            call_command("import_catalog", str(catalog), replace=True, **quiet)
        for slug, path in faq_files:
            call_command("import_faqs", slug, str(path), replace=True, **quiet)

    def _run(self, conversations: list[dict[str, Any]]) -> Scoreboard:
        board = Scoreboard()
        assistants = {assistant.slug: assistant for assistant in Assistant.objects.all()}
        run = uuid.uuid4().hex[:6]
        for number, conversation in enumerate(conversations):
            assistant = assistants.get(conversation["assistant"])
            if assistant is None:
                raise CommandError(f"{conversation.get('id')}: no existe el asistente {conversation['assistant']!r}")
            sender = f"eval-{run}-{number:05d}"
            for index, turn in enumerate(conversation["turns"]):
                started = time.perf_counter()
                result = handle_turn(assistant=assistant, sender=sender, text=turn["user"], channel=Channel.API)
                latency = time.perf_counter() - started
                data = result.as_dict()
                board.add(
                    TurnOutcome(
                        conversation["id"], index + 1, turn["user"], turn, data, check_turn(turn, data), latency
                    )
                )
        return board

    def _print_report(self, board: Scoreboard, metrics: dict[str, Any], shown: int) -> None:
        write = self.stdout.write
        write(f"{'métrica':<18} valor")
        for key in ("conversations", "turns", "intent_accuracy", "slot_error_rate", "tool_accuracy", "pass_rate"):
            write(f"{key:<18} {metrics[key]}")
        latency = metrics["latency_ms"]
        write(f"{'latency_ms':<18} p50 {latency['p50']}  p95 {latency['p95']}  max {latency['max']}")
        write("\nMatriz de confusión (esperado → obtenido):")
        for expected, got in sorted(board.confusion().items()):
            cells = ", ".join(f"{intent} {count}" for intent, count in got.most_common())
            write(f"  {expected:<32} {cells}")
        failing = board.failing()
        write(f"\nTurnos fallidos: {len(failing)}")
        for outcome in failing[:shown]:
            problems = "; ".join(m for messages in outcome.failures.values() for m in messages)
            write(f"FAIL {outcome.conversation_id}#{outcome.index} {outcome.user!r}: {problems}")
            write(f"     reply: {outcome.result.get('reply', '')[:200]!r}")
        write(json.dumps({k: v for k, v in metrics.items()}, ensure_ascii=False))


def _read_golden(paths: list[Path]) -> list[dict[str, Any]]:
    conversations = []
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise CommandError(f"No pude leer {path}: {error}") from error
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                conversations.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise CommandError(f"{path}:{number}: JSON inválido ({error.msg})") from error
    return conversations


def _parse_faq_option(value: str) -> tuple[str, Path]:
    slug, separator, path = value.partition("=")
    if not separator or not slug or not path:
        raise CommandError(f"--faqs espera ASISTENTE=ARCHIVO.csv, no {value!r}")
    return slug, Path(path)
