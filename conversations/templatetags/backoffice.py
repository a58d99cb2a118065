"""Template tags of the back office pages."""

import datetime as dt
from typing import Any

from django import template

from conversations.backoffice.roles import scope_to_user
from conversations.models import Conversation

register = template.Library()


@register.inclusion_tag("admin/includes/backoffice_summary.html", takes_context=True)
def backoffice_summary(context: dict[str, Any]) -> dict[str, Any]:
    """The admin index's header: how many conversations wait for a person, and the way to the dashboard."""
    user = context["request"].user
    waiting = scope_to_user(Conversation.objects.filter(handoff=True), user, "assistant").count()
    return {"waiting": waiting}


@register.filter
def duration_words(delta: dt.timedelta | None) -> str:
    """timedelta(hours=1) -> '1 hora', timedelta(minutes=90) -> '90 minutos'."""
    if not delta:
        return ""
    minutes = round(delta.total_seconds() / 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hora{'s' if hours != 1 else ''}"
    return f"{minutes} minuto{'s' if minutes != 1 else ''}"


@register.filter
def percent(value: float | None) -> str:
    """A 0..1 confidence as a whole percentage: 0.8234 -> '82 %'."""
    return "—" if value is None else f"{round(float(value) * 100)} %"
