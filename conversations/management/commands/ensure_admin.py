"""A first superuser for a fresh site (`make run` calls it): created once, with a random password."""

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Crea el superusuario «admin» con una contraseña aleatoria cuando no existe ninguno e imprime "
        "su usuario y contraseña. Si ya hay un superusuario, solo lo avisa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin", help="Usuario (por omisión, admin).")
        parser.add_argument("--password", help="Contraseña fija en lugar de una aleatoria.")
        parser.add_argument("--email", default="", help="Correo del superusuario.")

    def handle(self, *args: Any, username: str, password: str | None, email: str, **options: Any) -> None:
        user_model = get_user_model()
        existing = user_model.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            self.stdout.write(f"Ya existe un superusuario ({existing.get_username()}); no se creó otro.")
            return
        if user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).exists():
            raise CommandError(f"Ya existe un usuario «{username}» que no es superusuario; usa --username.")
        password = password or secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username, email, password)
        self.stdout.write(self.style.SUCCESS("Superusuario creado."))
        self.stdout.write(f"Usuario: {username}")
        self.stdout.write(f"Contraseña: {password}")
