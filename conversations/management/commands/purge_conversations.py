from django.core.management.base import BaseCommand, CommandError, CommandParser

from conversations.privacy import RetentionNotConfigured, conversations_purge


class Command(BaseCommand):
    help = (
        "Borra las conversaciones (y sus mensajes) cuyo último mensaje es más antiguo que la retención "
        "(--days, o TRANSCRIPT_RETENTION_DAYS). Los prospectos se conservan, sin conversación."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Días a conservar (por omisión, el ajuste).")
        parser.add_argument("--dry-run", action="store_true", help="Solo cuenta lo que se borraría.")

    def handle(self, *args: object, **options: object) -> None:
        dry_run = bool(options["dry_run"])
        try:
            report = conversations_purge(days=options["days"], dry_run=dry_run)
        except RetentionNotConfigured:
            self.stdout.write("TRANSCRIPT_RETENTION_DAYS está vacío: las conversaciones se conservan; nada que borrar.")
            return
        except ValueError as error:
            raise CommandError(str(error)) from error
        verb = "Se borrarían" if dry_run else "Se borraron"
        self.stdout.write(
            f"{verb} {report.conversations} conversaciones y {report.messages} mensajes "
            f"con su último mensaje antes de {report.cutoff:%Y-%m-%d %H:%M} UTC."
        )
