from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from conversations.channels.inbound import inbound_sweep


class Command(BaseCommand):
    help = (
        "Responde los mensajes de WhatsApp que una falla dejó sin respuesta (guardados, sin respuesta enviada). "
        "Para cron, cada minuto, si no corre Celery beat. Nunca responde dos veces el mismo mensaje."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--grace",
            type=int,
            default=None,
            help="Segundos que se espera al camino normal (por omisión WHATSAPP_SWEEP_GRACE_SECONDS).",
        )
        parser.add_argument(
            "--max-age",
            type=int,
            default=None,
            help="Segundos hacia atrás que se revisan (por omisión WHATSAPP_SWEEP_MAX_AGE_SECONDS).",
        )

    def handle(self, *args: object, **options: object) -> None:
        grace = options["grace"] if options["grace"] is not None else settings.WHATSAPP_SWEEP_GRACE_SECONDS
        max_age = options["max_age"] if options["max_age"] is not None else settings.WHATSAPP_SWEEP_MAX_AGE_SECONDS
        count = inbound_sweep(grace=timedelta(seconds=grace), max_age=timedelta(seconds=max_age))
        if count:
            self.stdout.write(f"Se retomaron {count} mensajes sin respuesta.")
        else:
            self.stdout.write("No hay mensajes sin respuesta.")
