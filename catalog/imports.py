"""The catalog import in the admin: upload, a preview that lists the bad rows with the spreadsheet's own line
numbers, then the confirmation. Both steps run services.import_catalog (the preview as a dry run), the same
import as `manage.py import_catalog`, so the admin and the command always agree."""

import base64
import io
import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from catalog.services import CatalogImportError, ImportReport, import_catalog

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SESSION_KEY = "catalog_import"
TEMPLATE = "admin/catalog/vehicle/import.html"


class CatalogUploadForm(forms.Form):
    import_file = forms.FileField(
        label="Archivo del catálogo",
        help_text="CSV (UTF-8 o Windows-1252; separado por comas, punto y coma o tabuladores) o XLSX. "
        "La primera línea son los encabezados; cada fila se actualiza por stock_id.",
    )

    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("El archivo pesa más de 5 MB; divídelo en partes.")
        return upload


class CatalogConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


def report_summary(report: ImportReport, *, done: bool) -> str:
    """'Se crearán 2 vehículos, …' in the preview, 'Importación terminada: se crearon 2, …' after."""
    if done:
        text = (
            f"Importación terminada: se crearon {report.created}, se actualizaron {report.updated} "
            f"y {report.unchanged} quedaron sin cambios."
        )
    else:
        text = (
            f"Se crearán {report.created}, se actualizarán {report.updated} y {report.unchanged} quedarán sin cambios."
        )
    bad = len(report.errors)
    if bad:
        rows = "1 fila tiene errores y no se importa" if bad == 1 else f"{bad} filas tienen errores y no se importan"
        if done:
            rows = "1 fila con errores no se importó" if bad == 1 else f"{bad} filas con errores no se importaron"
        text += f" {rows}."
    return text


class CatalogImportViews:
    """Mixed into VehicleAdmin in place of django-import-export's import views (same URLs and names)."""

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if not self.has_import_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        form = CatalogUploadForm(request.POST or None, request.FILES or None)
        context: dict[str, Any] = {"form": form}
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            content = upload.read()
            try:
                report = import_catalog(io.BytesIO(content), dry_run=True)
            except CatalogImportError as error:
                form.add_error("import_file", f"{error} No se importó nada.")
            else:
                context.update(self._preview(request, upload.name, content, report))
        return self._render(request, context)

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if not self.has_import_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        changelist = reverse("admin:catalog_vehicle_changelist")
        pending = request.session.get(SESSION_KEY) or {}
        form = CatalogConfirmForm(request.POST or None)
        if request.method != "POST" or not form.is_valid() or form.cleaned_data["token"] != pending.get("token"):
            messages.error(request, "Esa vista previa ya no está vigente; sube el archivo de nuevo.")
            return HttpResponseRedirect(reverse("admin:catalog_vehicle_import"))
        del request.session[SESSION_KEY]
        try:
            report = import_catalog(io.BytesIO(base64.b64decode(pending["content"])))
        except CatalogImportError as error:
            messages.error(request, f"{error} No se importó nada.")
            return HttpResponseRedirect(reverse("admin:catalog_vehicle_import"))
        level = messages.WARNING if report.errors else messages.SUCCESS
        messages.add_message(request, level, report_summary(report, done=True))
        return HttpResponseRedirect(changelist)

    def _preview(self, request: HttpRequest, name: str, content: bytes, report: ImportReport) -> dict[str, Any]:
        token = secrets.token_urlsafe(16)
        # The file waits in the staff member's own session: only they can confirm it, and only once.
        request.session[SESSION_KEY] = {"token": token, "content": base64.b64encode(content).decode()}
        confirm_form = CatalogConfirmForm(initial={"token": token}) if report.imported else None
        return {"file_name": name, "report": report, "summary": report_summary(report, done=False),
                "confirm_form": confirm_form}  # fmt: skip

    def _render(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        opts = self.model._meta  # type: ignore[attr-defined]
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": opts,
            "title": "Importar el catálogo",
            **context,
        }
        return TemplateResponse(request, TEMPLATE, context)
