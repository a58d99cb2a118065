"""The demo data: the assistants kvky and blinky, the demo catalog and their FAQs (`make run` calls it).

Idempotent: what exists is left alone, so running it twice changes nothing. With --force the demo
assistants get their demo texts back, and the demo files replace the catalog and their FAQs.
"""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from catalog.models import Vehicle
from catalog.services import CatalogImportError, ImportReport, import_catalog
from conversations.faq_import import FaqImportError, import_faqs
from conversations.models import Assistant, CannedReply, ChannelNumber, normalise_channel_number

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
ASSISTANTS_FILE = DEMO_DIR / "assistants.json"
CATALOG_FILE = DEMO_DIR / "vehicles.csv"
CANNED_REPLIES_FILE = DEMO_DIR / "canned_replies.json"
DECIMAL_FIELDS = ("annual_rate", "default_down_payment_pct", "min_down_payment_pct")


class DemoDataError(Exception):
    pass


def read_assistant_specs(path: Path = ASSISTANTS_FILE) -> list[dict[str, Any]]:
    """The demo assistants: model fields, plus `channel_numbers` and the `faqs` file name."""
    specs = json.loads(path.read_text(encoding="utf-8"))
    for spec in specs:
        for name in DECIMAL_FIELDS:
            if name in spec:
                spec[name] = Decimal(spec[name])
    return specs


def _model_fields(spec: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in spec.items() if name not in ("slug", "channel_numbers", "faqs")}


def _check(report: ImportReport, path: Path) -> ImportReport:
    if report.errors:
        raise DemoDataError(f"{path.name}: {'; '.join(map(str, report.errors))}")
    return report


class Command(BaseCommand):
    help = (
        "Crea los asistentes de demostración (kvky y blinky) y carga el catálogo y las preguntas frecuentes "
        "demo donde estén vacíos. Con --force, restablece los textos de los asistentes demo y reemplaza "
        "el catálogo y sus preguntas con los archivos demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Reemplaza el catálogo y las preguntas con los datos demo."
        )

    def handle(self, *args: Any, force: bool, verbosity: int = 1, **options: Any) -> None:
        self.verbosity = verbosity
        try:
            with transaction.atomic():
                for spec in read_assistant_specs():
                    assistant = self._assistant(spec, force)
                    for number in spec.get("channel_numbers", []):
                        self._channel_number(assistant, number, force)
                    self._faqs(assistant, DEMO_DIR / spec["faqs"], force)
                    self._canned_replies(assistant)
                self._catalog(force)
        except (OSError, ValueError, DemoDataError, CatalogImportError, FaqImportError) as error:
            raise CommandError(f"No se cargaron los datos demo: {error}") from error

    def _say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)

    def _assistant(self, spec: dict[str, Any], force: bool) -> Assistant:
        fields = _model_fields(spec)
        assistant, created = Assistant.objects.get_or_create(slug=spec["slug"], defaults=fields)
        if created:
            self._say(self.style.SUCCESS(f"Asistente {assistant.slug}: creado."))
        elif force:
            changed = [name for name, value in fields.items() if getattr(assistant, name) != value]
            for name in changed:
                setattr(assistant, name, fields[name])
            if changed:
                assistant.save()
            self._say(f"Asistente {assistant.slug}: {'restablecido' if changed else 'sin cambios'}.")
        else:
            self._say(f"Asistente {assistant.slug}: ya existe, no se modificó.")
        return assistant

    def _channel_number(self, assistant: Assistant, number: str, force: bool) -> None:
        number = normalise_channel_number(number)
        channel = ChannelNumber.objects.filter(number=number).select_related("assistant").first()
        if channel is None:
            ChannelNumber.objects.create(assistant=assistant, number=number)
            self._say(f"Número {number} → {assistant.slug}.")
        elif channel.assistant_id != assistant.pk and force:
            channel.assistant = assistant
            channel.save()
            self._say(f"Número {number} → {assistant.slug} (antes {channel.assistant.slug}).")
        elif channel.assistant_id != assistant.pk:
            self._say(self.style.WARNING(f"Número {number}: ya lo atiende {channel.assistant.slug}, no se cambió."))

    def _faqs(self, assistant: Assistant, path: Path, force: bool) -> None:
        if assistant.faqs.exists() and not force:
            self._say(f"Preguntas de {assistant.slug}: ya tiene {assistant.faqs.count()}, no se tocaron.")
            return
        report = _check(import_faqs(assistant, path, replace=force), path)
        self._say(f"Preguntas de {assistant.slug}: {report.summary()}.")

    def _canned_replies(self, assistant: Assistant) -> None:
        """The demo's saved replies for staff, only for an assistant that has none (staff own them after)."""
        if assistant.canned_replies.exists():
            return
        replies = json.loads(CANNED_REPLIES_FILE.read_text(encoding="utf-8")).get(assistant.slug, [])
        CannedReply.objects.bulk_create(
            CannedReply(assistant=assistant, title=reply["title"], text=reply["text"], position=position)
            for position, reply in enumerate(replies)
        )
        if replies:
            self._say(f"Respuestas guardadas de {assistant.slug}: {len(replies)}.")

    def _catalog(self, force: bool) -> None:
        if Vehicle.objects.exists() and not force:
            self._say(f"Catálogo: ya tiene {Vehicle.objects.count()} vehículos, no se tocó.")
            return
        report = _check(import_catalog(CATALOG_FILE, replace=force), CATALOG_FILE)
        self._say(f"Catálogo demo: {report.summary()}.")
