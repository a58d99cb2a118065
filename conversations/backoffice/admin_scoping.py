"""What every admin of assistant data shares: rows limited to the assistants the user's role covers.

Lists show only those rows; the detail, history and delete pages of any other row answer 403
(the object exists but is not the user's), never a redirect that hides the refusal.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from conversations.backoffice.roles import scope_to_user, visible_assistant_kinds
from conversations.models import Assistant


class AssistantScopedAdmin(admin.ModelAdmin):
    assistant_path = "assistant"  # from a row to its assistant; "" when the rows are assistants

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return scope_to_user(super().get_queryset(request), request.user, self.assistant_path)

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Model | None:
        # Look beyond the user's scope so that a row of another role is refused (403), not reported missing.
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            return self.model._default_manager.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def in_scope(self, request: HttpRequest, obj: Model) -> bool:
        assistant = obj if not self.assistant_path else _follow(obj, self.assistant_path)
        return assistant is not None and assistant.kind in visible_assistant_kinds(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and (obj is None or self.in_scope(request, obj))

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or self.in_scope(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or self.in_scope(request, obj))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Assistant:
            kwargs["queryset"] = visible_assistants(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _follow(obj: Model, path: str) -> Any:
    for name in path.split("__"):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def visible_assistants(request: HttpRequest) -> QuerySet[Assistant]:
    return scope_to_user(Assistant.objects.order_by("name"), request.user, "")


class AssistantFilter(admin.SimpleListFilter):
    """Filter by assistant, offering only the assistants the user may see."""

    title = "asistente"
    parameter_name = "asistente"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(assistant.slug, assistant.name) for assistant in visible_assistants(request)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(assistant__slug=self.value()) if self.value() else queryset


def titled(filter_class: type[admin.FieldListFilter], title: str) -> type[admin.FieldListFilter]:
    """A field's list filter under a Spanish title (the model field's own name may be English)."""

    class Titled(filter_class):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


def short_datetime(value: Any) -> str:
    """21/11/2026 18:57 in the site's time zone: the admin's long dates crowd the lists."""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else "—"
