from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from conversations.faq_import import FaqImportError, import_faqs
from conversations.models import Assistant


class Command(BaseCommand):
    help = (
        "Importa las preguntas frecuentes de un asistente desde un CSV (question,answer,additional_info"
        "[,keywords]) y actualiza por pregunta. Con --replace, el archivo se vuelve su base completa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("assistant", help="Slug del asistente, p. ej. blinky")
        parser.add_argument("file", type=Path, help="Archivo CSV")
        parser.add_argument(
            "--replace", action="store_true", help="Borra las preguntas del asistente que no estén en el archivo."
        )

    def handle(self, *args, assistant: str, file: Path, replace: bool, **options) -> None:
        found = Assistant.objects.filter(slug=assistant.strip()).first()
        if found is None:
            known = ", ".join(Assistant.objects.values_list("slug", flat=True)) or "ninguno"
            raise CommandError(f"No existe el asistente «{assistant}». Asistentes: {known}.")
        try:
            report = import_faqs(found, file, replace=replace)
        except FaqImportError as error:
            raise CommandError(f"{file}: {error} No se importó nada.") from error
        style = self.style.WARNING if report.errors else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
        for error in report.errors:
            self.stdout.write(f"  {error}")
