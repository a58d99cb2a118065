"""System checks: `check --deploy` warns when webhooks go unverified; a bad REPLY_MODE is an error."""

import pytest
from django.core.checks.registry import registry

from conversations.channels.checks import check_reply_mode, check_twilio_signature, check_worker_database


def _ids(messages: list) -> set[str]:
    return {message.id for message in messages}


def test_it_runs_the_signature_check_only_with_deploy_checks():
    assert check_twilio_signature in registry.get_checks(include_deployment_checks=True)
    assert check_twilio_signature not in registry.get_checks(include_deployment_checks=False)


def test_it_warns_when_signature_validation_is_off(settings):
    settings.TWILIO_VALIDATE_SIGNATURE = False
    assert _ids(check_twilio_signature()) == {"conversations.W001"}


def test_it_warns_when_no_auth_token_is_set(settings):
    settings.TWILIO_AUTH_TOKEN = ""
    assert _ids(check_twilio_signature()) == {"conversations.W002"}


def test_it_stays_quiet_when_signatures_are_validated(settings):
    settings.TWILIO_VALIDATE_SIGNATURE = True
    settings.TWILIO_AUTH_TOKEN = "token"
    assert check_twilio_signature() == []


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_it_warns_about_a_celery_worker_on_sqlite(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # The check reads the setting only: say SQLite even when the suite runs on PostgreSQL (make test-postgres).
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}}
    assert _ids(check_worker_database()) == {"conversations.W003"}


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_it_warns_about_a_celery_worker_on_the_projects_sqlite_backend(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "ENGINE": "kvky_site.sqlite"}}
    assert _ids(check_worker_database()) == {"conversations.W003"}


def test_it_accepts_in_process_tasks_on_sqlite(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert check_worker_database() == []


def test_it_reports_an_unknown_reply_mode(settings):
    settings.REPLY_MODE = "sometimes"
    assert _ids(check_reply_mode()) == {"conversations.E001"}
