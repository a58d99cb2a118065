"""`manage.py check --deploy` is clean with the production environment the k8s ConfigMap and Secret give."""

import secrets

import pytest
import yaml

from kvky_site.tests.conftest import REPO, django_env, run_python

CHECK_DEPLOY = """
import django
from django.core.management import call_command
django.setup()
call_command("check", "--deploy", "--fail-level", "DEBUG")
"""


def production_env(**overrides: str) -> dict[str, str]:
    """The ConfigMap's values, and real-looking values for the Secret's keys (the template holds placeholders)."""
    config = yaml.safe_load((REPO / "k8s" / "10-configmap.yaml").read_text(encoding="utf-8"))["data"]
    secret = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "postgres://kvky:kvky@127.0.0.1:5432/kvky",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1",
        "METRICS_TOKEN": secrets.token_urlsafe(32),
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": secrets.token_hex(16),
    }
    return django_env(**{**config, **secret, "LOG_LEVEL": "ERROR", **overrides})


def check_deploy(env: dict[str, str]):
    return run_python(CHECK_DEPLOY, env)


@pytest.mark.slow
def test_it_passes_check_deploy_with_the_production_environment():
    completed = check_deploy(production_env())
    assert completed.returncode == 0, completed.stderr
    assert "no issues" in completed.stdout


@pytest.mark.slow
def test_it_fails_check_deploy_without_https_enforcement():
    completed = check_deploy(production_env(SECURE_SSL_REDIRECT="false"))
    assert completed.returncode != 0
    assert "security.W008" in completed.stderr


@pytest.mark.slow
def test_it_fails_check_deploy_with_the_development_secret_key():
    env = production_env(DEBUG="true")  # with DEBUG off the site would not even start (below)
    del env["SECRET_KEY"]
    completed = check_deploy(env)
    assert "security.W009" in completed.stderr


SETTINGS_ONLY = "from django.conf import settings; print(settings.SECRET_KEY[:4])"


@pytest.mark.parametrize("key", [None, "", "django-insecure-kvky-local-development-key-change-me"])
def test_it_refuses_to_start_with_debug_off_and_the_development_secret_key(key: str | None):
    env = production_env()
    del env["SECRET_KEY"]
    if key is not None:
        env["SECRET_KEY"] = key
    completed = run_python(SETTINGS_ONLY, env)
    assert completed.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is empty or the built-in development key" in completed.stderr


def test_it_starts_with_the_development_secret_key_when_debug_is_on():
    env = production_env(DEBUG="true")
    del env["SECRET_KEY"]
    completed = run_python(SETTINGS_ONLY, env)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "djan"


HSTS = "from django.conf import settings; print(settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)"


def test_it_leaves_hsts_preload_and_subdomains_off_unless_set():
    completed = run_python(HSTS, production_env(SECURE_SSL_REDIRECT="true"))
    assert completed.stdout.split() == ["False", "False"], completed.stderr


def test_it_turns_hsts_preload_and_subdomains_on_when_set():
    env = production_env(SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true")
    completed = run_python(HSTS, env)
    assert completed.stdout.split() == ["True", "True"], completed.stderr


def test_it_keeps_the_secret_template_free_of_real_secrets():
    template = yaml.safe_load((REPO / "k8s" / "secret-template" / "secret.yaml").read_text(encoding="utf-8"))
    values = template["stringData"].values()
    assert all(value == "" or "REPLACE" in value or "example" in value for value in values)
