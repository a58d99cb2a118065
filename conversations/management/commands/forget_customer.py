import re

from django.core.management.base import BaseCommand, CommandError, CommandParser

from conversations.privacy import NotAPhoneNumber, customer_forget
from kvky_site.logging import mask_phone


class Command(BaseCommand):
    help = (
        "Olvida a un cliente: borra sus conversaciones en todos los canales (también los chats web donde dejó "
        "su teléfono), quita el teléfono y el nombre de sus prospectos (las notas se conservan), quita el "
        "teléfono de los mensajes de otras conversaciones y el teléfono y el nombre de la bitácora del admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phone", help="Teléfono del cliente en cualquier formato, p. ej. +52 55 1234 5678.")

    def handle(self, *args: object, **options: object) -> None:
        phone = str(options["phone"]).strip()
        try:
            report = customer_forget(phone)
        except NotAPhoneNumber as error:
            raise CommandError(str(error)) from error
        masked = mask_phone(re.sub(r"[^\d+]", "", phone))  # "+52 55 1234 5678" -> "+52551****5678"
        self.stdout.write(
            f"Cliente {masked} olvidado: {report.conversations} conversaciones y {report.messages} mensajes "
            f"borrados; {report.leads} prospectos anonimizados; teléfono quitado de "
            f"{report.redacted_messages} mensajes de otras conversaciones; {report.redacted_log_entries} "
            f"registros de la bitácora del admin editados; {report.remembered_message_ids} IDs de mensajes "
            "guardados como huella para rechazar reenvíos."
        )
