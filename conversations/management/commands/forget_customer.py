from django.core.management.base import BaseCommand, CommandError, CommandParser

from conversations.privacy import NotAPhoneNumber, customer_forget
from kvky_site.logging import mask_phone


class Command(BaseCommand):
    help = (
        "Olvida a un cliente: borra sus conversaciones en todos los canales y quita el teléfono y el nombre "
        "de sus prospectos (las notas se conservan)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone", help="Teléfono del cliente, p. ej. +5215512345678.")

    def handle(self, *args: object, **options: object) -> None:
        phone = str(options["phone"]).strip()
        try:
            report = customer_forget(phone)
        except NotAPhoneNumber as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Cliente {mask_phone(phone)} olvidado: {report.conversations} conversaciones y {report.messages} "
            f"mensajes borrados; {report.leads} prospectos anonimizados."
        )
