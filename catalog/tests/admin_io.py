"""Driving django-import-export's admin pages from tests: export a list, import a file (preview, then confirm)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BooleanField
from django.http import HttpResponse
from django.test import Client

FORMATS = {"csv": "0", "xlsx": "1"}  # the order of the admins' `formats`


def export_file(client: Client, export_url: str, file_format: str) -> HttpResponse:
    """Submit the export form with every column ticked; `export_url` may carry the list's filters."""
    form = client.get(export_url).context["form"]
    columns = {name: "on" for name, field in form.fields.items() if isinstance(field, BooleanField)}
    return client.post(export_url, {**columns, "resource": "0", "format": FORMATS[file_format]})


def import_preview(client: Client, import_url: str, name: str, content: bytes) -> HttpResponse:
    upload = SimpleUploadedFile(name, content)
    file_format = FORMATS[name.rsplit(".", 1)[-1]]
    return client.post(import_url, {"resource": "0", "format": file_format, "import_file": upload})


def import_confirm(client: Client, process_url: str, preview: HttpResponse) -> HttpResponse:
    return client.post(process_url, preview.context["confirm_form"].initial)
