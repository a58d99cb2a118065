from django.core.management.base import BaseCommand, CommandError, CommandParser

from conversations.api_keys import ApiKeyNameTaken, api_key_create


class Command(BaseCommand):
    help = "Crea una llave para la API REST e imprime la llave en la última línea (solo se muestra una vez)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Nombre del cliente que usará la llave, p. ej. 'crm'.")

    def handle(self, *args: object, **options: object) -> None:
        name = str(options["name"])
        try:
            api_key, raw_key = api_key_create(name=name)
        except ApiKeyNameTaken as error:
            raise CommandError(f"Ya existe una llave llamada «{name.strip()}». Usa otro nombre.") from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Llave «{api_key.name}» creada (prefijo {api_key.prefix}).")
        self.stdout.write("Guárdala ahora: no se vuelve a mostrar.")
        self.stdout.write("Envíala en el encabezado «Authorization: Api-Key <llave>». La llave es:")
        # Last line: the key alone, so scripts can take it with `tail -n 1`.
        self.stdout.write(raw_key)
