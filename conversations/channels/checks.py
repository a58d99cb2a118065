"""System checks for the WhatsApp channel (`manage.py check`, and `check --deploy` for production)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

REPLY_MODES = ("sync", "async")


@register()
def check_reply_mode(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.REPLY_MODE.strip().lower() in REPLY_MODES:
        return []
    return [
        Error(
            f"REPLY_MODE={settings.REPLY_MODE!r} is not a reply mode.",
            hint="Set REPLY_MODE to sync (TwiML answers) or async (a Celery worker answers).",
            id="conversations.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_twilio_signature(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if not settings.TWILIO_VALIDATE_SIGNATURE:
        return [
            Warning(
                "TWILIO_VALIDATE_SIGNATURE is off: anyone can post fake WhatsApp messages to /chatbot/whatsapp.",
                hint="Remove TWILIO_VALIDATE_SIGNATURE=false in production.",
                id="conversations.W001",
            )
        ]
    if not settings.TWILIO_AUTH_TOKEN:
        return [
            Warning(
                "TWILIO_AUTH_TOKEN is not set: every WhatsApp webhook will be refused with 403.",
                hint="Set TWILIO_AUTH_TOKEN (and TWILIO_ACCOUNT_SID) from the Twilio console.",
                id="conversations.W002",
            )
        ]
    return []


SQLITE_ENGINES = {"django.db.backends.sqlite3", "kvky_site.sqlite"}


@register(Tags.database, deploy=True)
def check_worker_database(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    uses_worker = not settings.CELERY_TASK_ALWAYS_EAGER
    on_sqlite = settings.DATABASES["default"]["ENGINE"] in SQLITE_ENGINES
    if uses_worker and on_sqlite:
        return [
            Warning(
                "Celery workers share the database with the site, and SQLite is not made for that.",
                hint="Use PostgreSQL (DATABASE_URL) with CELERY_BROKER_URL, or leave the broker unset "
                "so tasks run in-process.",
                id="conversations.W003",
            )
        ]
    return []
