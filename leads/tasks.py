"""Celery tasks of the leads app (run by beat, see CELERY_BEAT_SCHEDULE): thin callers of leads.services."""

from celery import shared_task


@shared_task
def release_expired_holds() -> int:
    from leads.services import leads_release_expired_holds

    return leads_release_expired_holds()
