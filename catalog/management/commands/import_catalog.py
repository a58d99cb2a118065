from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.services import CatalogImportError, import_catalog


class Command(BaseCommand):
    help = (
        "Importa un catálogo CSV o XLSX (formato de muestra de Kavak o el propio del sitio) y actualiza por stock_id. "
        "Con --replace, los vehículos que no estén en el archivo se eliminan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Archivo CSV o XLSX")
        parser.add_argument(
            "--replace", action="store_true", help="El archivo se vuelve el catálogo completo (borra lo demás)."
        )

    def handle(self, *args, file: Path, replace: bool, **options) -> None:
        try:
            report = import_catalog(file, replace=replace)
        except CatalogImportError as error:
            raise CommandError(f"{file}: {error} No se importó nada.") from error
        style = self.style.WARNING if report.errors else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
        for error in report.errors:
            self.stdout.write(f"  {error}")
