"""The Celery app: `celery -A kvky_site worker`. Configured from Django's settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvky_site.settings")

app = Celery("kvky_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _load_worker_metrics(**_: object) -> None:
    """Connect the worker's metrics endpoint (kvky_site.metrics listens for worker_ready)."""
    import kvky_site.metrics  # noqa: F401
    from nlu import pipeline

    pipeline.warm_up()  # the intent models trained before the first task, not during it
