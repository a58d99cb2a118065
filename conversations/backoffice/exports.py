"""Exports of a filtered changelist (django-import-export) that answer junk filters the way the list does."""

import unicodedata
from typing import Any

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from import_export.forms import SelectableFieldsExportForm
from import_export.resources import ModelResource


class SpanishExportForm(SelectableFieldsExportForm):
    """The export page's column checkboxes named in Spanish: the model field's verbose name (or the column
    humanised), then the spreadsheet header, instead of django-import-export's English "Body Type"."""

    def _get_field_label(self, resource: ModelResource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        column = field.column_name if field else field_name
        model_field = _model_field(resource, field.attribute if field and field.attribute else field_name)
        name = str(model_field.verbose_name) if model_field is not None else column.replace("_", " ")
        name = name[:1].upper() + name[1:]
        return name if _plain(name) == _plain(column.replace("_", " ")) else f"{name} · {column}"


def _plain(text: str) -> str:
    """Lower case without accents: "Teléfono" and the header "telefono" are the same name."""
    return "".join(ch for ch in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(ch))


def _model_field(resource: ModelResource, attribute: str) -> Any:
    model = resource._meta.model
    try:
        return model._meta.get_field(attribute.split("__")[0]) if model else None
    except FieldDoesNotExist:  # a computed column (e.g. a plan's monthly payment)
        return None


class FilteredExportMixin:
    """Put before ExportMixin / ImportExportModelAdmin: a filter the list would refuse is not a 500 on export,
    and the export page names the columns in Spanish."""

    export_form_class = SpanishExportForm

    def export_action(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().export_action(request, *args, **kwargs)  # type: ignore[misc]
        except IncorrectLookupParameters:
            # The export's filters come from a hand-edited or stale link: back to the whole list, saying so.
            messages.error(request, "Los filtros de la exportación no son válidos; elige los filtros de nuevo.")
            opts = self.model._meta  # type: ignore[attr-defined]
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
