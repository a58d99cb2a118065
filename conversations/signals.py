"""Writes in this process to FAQs, assistants, channel numbers and API keys drop the engine's cached copies at
once (other processes notice within ENGINE_CACHE_RECHECK_SECONDS)."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from conversations.api_keys import invalidate_api_keys
from conversations.engine.faq_index import invalidate_faq_index
from conversations.models import FAQ, ApiKey, Assistant, ChannelNumber
from conversations.selectors import invalidate_assistants


@receiver([post_save, post_delete], sender=FAQ, dispatch_uid="conversations.faq_changed")
def faq_changed(instance: FAQ, **_kwargs: Any) -> None:
    invalidate_faq_index(instance.assistant_id)


@receiver([post_save, post_delete], sender=Assistant, dispatch_uid="conversations.assistant_changed")
@receiver([post_save, post_delete], sender=ChannelNumber, dispatch_uid="conversations.channel_number_changed")
def assistant_changed(**_kwargs: Any) -> None:
    invalidate_assistants()


@receiver([post_save, post_delete], sender=ApiKey, dispatch_uid="conversations.api_key_changed")
def api_key_changed(**_kwargs: Any) -> None:
    invalidate_api_keys()
