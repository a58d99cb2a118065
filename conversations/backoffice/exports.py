"""Exports of a filtered changelist (django-import-export) that answer junk filters the way the list does."""

from typing import Any

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class FilteredExportMixin:
    """Put before ExportMixin / ImportExportModelAdmin: a filter the list would refuse is not a 500 on export."""

    def export_action(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().export_action(request, *args, **kwargs)  # type: ignore[misc]
        except IncorrectLookupParameters:
            # The export's filters come from a hand-edited or stale link: back to the whole list, saying so.
            messages.error(request, "Los filtros de la exportación no son válidos; elige los filtros de nuevo.")
            opts = self.model._meta  # type: ignore[attr-defined]
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
