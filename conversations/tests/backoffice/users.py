"""Staff users for back office tests: one per role, made with the role groups the data migration defines."""

import functools

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from conversations.backoffice.roles import HR_STAFF, SALES_MANAGERS, sync_roles

PASSWORD = "contraseña-de-prueba-1"


class StaffUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True
    password = factory.LazyFunction(lambda: _hashed_password(tuple(settings.PASSWORD_HASHERS)))

    @factory.post_generation
    def role(self, create: bool, role_name: str | None, **kwargs) -> None:
        if create and role_name:
            # A transactional test (the browser ones) flushes the groups the migration made: make them again.
            sync_roles(Group, Permission)
            self.groups.add(Group.objects.get(name=role_name))
        if create:
            self.save()


@functools.cache
def _hashed_password(hashers: tuple[str, ...]) -> str:
    """Hashing takes about a second on purpose; tests hash the shared password once per hasher setting."""
    return make_password(PASSWORD)


def sales_manager(username: str = "ventas") -> User:
    return StaffUserFactory(username=username, role=SALES_MANAGERS)


def hr_user(username: str = "rh") -> User:
    return StaffUserFactory(username=username, role=HR_STAFF)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
