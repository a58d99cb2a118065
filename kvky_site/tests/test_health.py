"""/healthz and /readyz: cheap, unauthenticated, and honest about the database and Redis."""

import pytest

from kvky_site.tests.conftest import django_env, free_port, run_python

pytestmark = pytest.mark.django_db

READYZ_IN_A_SUBPROCESS = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/readyz")
print(response.status_code, json.dumps(response.json()))
"""


def test_it_answers_healthz_with_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_answers_readyz_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_it_checks_redis_when_redis_is_configured(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_it_is_not_ready_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "redis": "error"}}


def test_it_is_not_ready_when_the_database_does_not_answer():
    env = django_env(DATABASE_URL=f"postgres://kvky:kvky@127.0.0.1:{free_port()}/kvky", LOG_LEVEL="CRITICAL")
    completed = run_python(READYZ_IN_A_SUBPROCESS, env)
    expected = '503 {"status": "unavailable", "checks": {"database": "error"}}'
    assert completed.stdout.strip() == expected, completed.stderr


def test_it_answers_probes_addressed_to_the_pod_ip(client, settings):
    settings.ALLOWED_HOSTS = ["kvky.example.com"]
    response = client.get("/readyz", headers={"Host": "10.42.0.17:8000"})
    assert response.status_code == 200


def test_it_answers_probes_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


def test_it_still_redirects_pages_to_https_when_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301


def test_it_needs_no_credentials_for_the_probes(client):
    response = client.get("/healthz", headers={"Authorization": "Api-Key wrong"})
    assert response.status_code == 200
