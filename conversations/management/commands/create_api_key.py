from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator

from conversations.api_keys import ApiKeyNameTaken, api_key_create
from conversations.models import Assistant


class Command(BaseCommand):
    help = "Crea una llave para la API REST e imprime la llave en la última línea (solo se muestra una vez)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Nombre del cliente que usará la llave, p. ej. 'crm'.")
        parser.add_argument(
            "--assistant",
            action="append",
            default=[],
            metavar="SLUG",
            help="Limita la llave a este asistente (repítelo para varios). Sin él, la llave habla con todos.",
        )
        parser.add_argument(
            "--webhook-url",
            default="",
            help="URL que recibe por POST las respuestas del personal y los pases a una persona (JSON firmado).",
        )

    def handle(self, *args: object, **options: object) -> None:
        name = str(options["name"])
        assistants = self._assistants([str(slug) for slug in options["assistant"]])
        webhook_url = str(options["webhook_url"]).strip()
        if webhook_url:
            try:
                URLValidator(schemes=["http", "https"])(webhook_url)
            except ValidationError as error:
                raise CommandError(f"«{webhook_url}» no es una URL http(s) válida.") from error
        try:
            api_key, raw_key = api_key_create(name=name, assistants=assistants, webhook_url=webhook_url)
        except ApiKeyNameTaken as error:
            raise CommandError(f"Ya existe una llave llamada «{name.strip()}». Usa otro nombre.") from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Llave «{api_key.name}» creada (prefijo {api_key.prefix}).")
        scope = ", ".join(assistant.slug for assistant in assistants) or "todos"
        self.stdout.write(f"Asistentes: {scope}.")
        if api_key.webhook_secret:
            self.stdout.write(
                f"Secreto del webhook (firma X-KVKy-Signature; no se vuelve a mostrar): {api_key.webhook_secret}"
            )
        self.stdout.write("Guárdala ahora: no se vuelve a mostrar.")
        self.stdout.write("Envíala en el encabezado «Authorization: Api-Key <llave>». La llave es:")
        # Last line: the key alone, so scripts can take it with `tail -n 1`.
        self.stdout.write(raw_key)

    def _assistants(self, slugs: list[str]) -> list[Assistant]:
        found = {assistant.slug: assistant for assistant in Assistant.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise CommandError(f"No existe el asistente «{missing[0]}».")
        return [found[slug] for slug in dict.fromkeys(slugs)]
