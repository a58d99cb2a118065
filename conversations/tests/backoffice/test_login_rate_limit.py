"""Admin logins are rate-limited (django-axes): too many wrong passwords lock that username from that address."""

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from conversations.tests.backoffice.users import PASSWORD, StaffUserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("admin:login")


@pytest.fixture
def limit_of_three(settings) -> int:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    # Each login checks a password: a fast hasher keeps these tests quick (the default is slow on purpose).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return 3


def _login(client, username: str, password: str):
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"})


def test_it_logs_a_staff_user_in(client, limit_of_three):
    StaffUserFactory(username="laura")

    assert _login(client, "laura", PASSWORD).status_code == 302


def test_it_locks_the_login_after_too_many_wrong_passwords(client, limit_of_three):
    StaffUserFactory(username="laura")
    for _ in range(limit_of_three):
        _login(client, "laura", "equivocada")

    response = _login(client, "laura", PASSWORD)

    assert response.status_code == 429
    assert "Demasiados intentos" in response.text


def test_it_does_not_lock_another_username(client, limit_of_three):
    StaffUserFactory(username="laura")
    StaffUserFactory(username="pedro")
    for _ in range(limit_of_three):
        _login(client, "laura", "equivocada")

    assert _login(client, "pedro", PASSWORD).status_code == 302


INGRESS = "10.42.0.7"  # REMOTE_ADDR of every visitor behind the Kubernetes ingress
ATTACKER = "203.0.113.5"


def _login_via_ingress(client, username: str, password: str, forwarded_for: str):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN_URL, data, REMOTE_ADDR=INGRESS, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_it_locks_only_the_attacking_address_behind_the_trusted_ingress(client, limit_of_three, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    StaffUserFactory(username="admin")
    for _ in range(limit_of_three):
        _login_via_ingress(client, "admin", "equivocada", ATTACKER)

    assert _login_via_ingress(client, "admin", PASSWORD, "198.51.100.7").status_code == 302


def test_it_keeps_the_attacker_locked_behind_the_ingress(client, limit_of_three, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    StaffUserFactory(username="admin")
    for _ in range(limit_of_three):
        _login_via_ingress(client, "admin", "equivocada", ATTACKER)

    assert _login_via_ingress(client, "admin", PASSWORD, ATTACKER).status_code == 429


def test_it_keeps_the_attacker_locked_when_it_prepends_addresses_to_forwarded_for(client, limit_of_three, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    StaffUserFactory(username="admin")
    for attempt in range(limit_of_three):
        # The ingress appends the address it saw to whatever the client sent.
        _login_via_ingress(client, "admin", "equivocada", f"192.0.2.{attempt}, {ATTACKER}")

    assert _login_via_ingress(client, "admin", PASSWORD, f"192.0.2.99, {ATTACKER}").status_code == 429


def test_it_ignores_a_forged_forwarded_for_when_no_proxy_is_trusted(client, limit_of_three, settings):
    settings.TRUSTED_PROXIES = []
    StaffUserFactory(username="admin")
    for attempt in range(limit_of_three):
        _login_via_ingress(client, "admin", "equivocada", f"192.0.2.{attempt}")

    assert _login_via_ingress(client, "admin", PASSWORD, "198.51.100.7").status_code == 429


def test_it_still_authenticates_without_a_request(limit_of_three):
    user = StaffUserFactory(username="laura")

    assert authenticate(username="laura", password=PASSWORD) == user
