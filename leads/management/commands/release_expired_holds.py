from django.core.management.base import BaseCommand

from leads.services import leads_release_expired_holds


class Command(BaseCommand):
    help = (
        "Vuelve a ofrecer los autos apartados por prospectos cuyo apartado ya venció (las horas de apartado "
        "de cada asistente). Para cron, junto con answer_unanswered, si no corre Celery beat."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = leads_release_expired_holds()
        self.stdout.write(f"Se volvieron a ofrecer {count} autos." if count else "No hay apartados vencidos.")
