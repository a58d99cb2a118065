"""A vehicle saved or deleted in this process drops the cached vocabulary at once (other processes
notice within ENGINE_CACHE_RECHECK_SECONDS)."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.models import Vehicle
from catalog.vocabulary import invalidate_vocabulary


@receiver([post_save, post_delete], sender=Vehicle, dispatch_uid="catalog.vehicle_changed")
def vehicle_changed(**_kwargs: Any) -> None:
    invalidate_vocabulary()
