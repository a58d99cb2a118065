"""Exports of the admin's lists (django-import-export) that open cleanly in Excel, and answer junk filters the way
the list does.

Both formats take the resource's native values (naive local datetimes, Decimals, ints, text) and decide how a
spreadsheet sees them:

- XLSX: one sheet named after the resource (`dataset.title`), datetimes as real date cells, a `Percent` as a
  number formatted 0.00 %, money as a number with two decimals, and every text as a string cell. A string cell
  is never evaluated by Excel; text that would start a formula (= + - @) also gets the cell's quote prefix, so
  it stays text even after someone edits it. The value itself is unchanged: a phone is `+525512345678`.
- CSV: UTF-8 with a BOM (Excel reads the accents right), comma separated (the list separator of Excel in
  es-MX, whose decimal mark is the point) and CRLF line ends. A CSV has no cell types, so text that would start
  a formula gets a leading apostrophe, which the catalog import removes again. The one exception is a whole
  E.164 phone (`+` and digits only): Excel reads it as a number, which can never call anything, and every
  other system importing the CSV gets the phone as it is, without an apostrophe to clean up. Whoever wants
  the phone shown as text in Excel opens the XLSX.
"""

import csv
import io
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm
from import_export.resources import ModelResource
from tablib import Dataset

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
E164_PHONE = re.compile(r"\+[1-9]\d{6,14}")
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0.00%"
DECIMAL_FORMAT = "#,##0.00"


class Percent(Decimal):
    """A fraction (0.1) that a spreadsheet shows as a percentage (10.00 %)."""


def starts_formula(value: Any) -> bool:
    """Would a spreadsheet read this text as the start of a formula? A whole E.164 phone is not one."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not E164_PHONE.fullmatch(value)


def escape_formula(value: Any) -> Any:
    """'=HYPERLINK(…)' -> "'=HYPERLINK(…)"; a phone, plain text and numbers unchanged."""
    return f"'{value}" if starts_formula(value) else value


def unescape_formula(text: str) -> str:
    """The inverse of escape_formula for a cell read back from a file."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def csv_text(value: Any) -> str:
    """One CSV cell: dates as ISO text (Excel reads them as dates in any locale), formulas escaped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(escape_formula(value))


class ExcelCSV(CSV):
    CONTENT_TYPE = "text/csv; charset=utf-8"

    def export_data(self, dataset: Dataset, **kwargs: Any) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([csv_text(header) for header in dataset.headers or []])
        writer.writerows([csv_text(value) for value in row] for row in dataset)
        return "\ufeff" + out.getvalue()


class ExcelXLSX(XLSX):
    def export_data(self, dataset: Dataset, **kwargs: Any) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _sheet_title(dataset.title or "Datos")
        headers = list(dataset.headers or [])
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        widths = [len(str(header)) for header in headers]
        for row_number, row in enumerate(dataset, start=2):
            for column, value in enumerate(row, start=1):
                _write_cell(sheet.cell(row=row_number, column=column), value)
                widths[column - 1] = max(widths[column - 1], _display_width(value))
        for column, width in enumerate(widths, start=1):
            # Wide enough that Excel shows every date and number (a number too wide for its column is ####).
            sheet.column_dimensions[get_column_letter(column)].width = min(50, max(10, width + 2))
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


def _sheet_title(title: str) -> str:
    return re.sub(r"[\\*?:/\[\]]", "-", title)[:31]


def _display_width(value: Any) -> int:
    if isinstance(value, datetime):
        return len("dd/mm/yyyy hh:mm")
    if isinstance(value, Percent):
        return len(f"{value:.2%}")
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}")
    return len(str(value if value is not None else ""))


def _write_cell(cell: Any, value: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, datetime):
        cell.value, cell.number_format = value.replace(tzinfo=None), DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value, cell.number_format = value, DATE_FORMAT
    elif isinstance(value, Percent):
        cell.value, cell.number_format = Decimal(value), PERCENT_FORMAT
    elif isinstance(value, Decimal):
        cell.value, cell.number_format = value, DECIMAL_FORMAT
    elif isinstance(value, bool | int | float):
        cell.value = value
    else:
        # A string cell, never a formula cell (openpyxl would make '=…' one).
        cell.value = str(value)
        cell.data_type = "s"
        cell.quotePrefix = starts_formula(cell.value)


EXPORT_FORMATS = [ExcelCSV, ExcelXLSX]



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
