"""The catalog's spreadsheet export in the admin (django-import-export, CSV and XLSX), and a resource that reads
the same files back.

The admin's import page runs services.import_catalog itself (catalog/imports.py), so that valid rows are
imported beside bad ones, as the command does. The resource's import side reads the project's own export
and the Kavak sample format (Spanish or English headers, "Sí"/blank booleans, 461999.0 prices, no body type)
cell by cell with the same parsers, for code that imports through django-import-export.

The export goes through the back office's Excel formats (conversations/backoffice/exports.py): a sheet named
"Catálogo", numbers as numbers, and text that would start a formula kept as text (in a CSV with a leading
apostrophe, which the import removes again).
"""

import contextlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from tablib import Dataset

from catalog.csv_table import header_key
from catalog.models import Vehicle
from catalog.services import COLUMN_ALIASES, PARSERS, REQUIRED_COLUMNS, CatalogImportError, CellError
from conversations.backoffice.exports import unescape_formula
from nlu.body_types import infer_body_type

EXPORT_COLUMNS = list(PARSERS)  # stock_id, make, model, year, … status: the Vehicle fields the import reads


class SpreadsheetResource(resources.ModelResource):
    """A resource exported as one named sheet; the export formats keep its text cells from running as formulas."""

    sheet_title = "Datos"

    def after_export(self, queryset: Any, dataset: Dataset, **kwargs: Any) -> None:
        dataset.title = self.sheet_title


def cell_text(value: Any) -> str:
    """A cell as text, whatever the file format made of it (None, a float from XLSX, a bool)."""
    if value is None:
        return ""
    return unescape_formula(str(value).strip())


def _render(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sí" if value else "No"
    return value


class CatalogCellWidget(widgets.Widget):
    """Reads a cell with the catalog import's parser for that column; a bad cell is a ValueError (a row error)."""

    def __init__(self, parse: Callable[[str], Any]) -> None:
        super().__init__()
        self.parse = parse

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        return self.parse(cell_text(value))  # CellError is a ValueError

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return _render(value)


class VehicleResource(SpreadsheetResource):
    sheet_title = "Catálogo"

    class Meta:
        model = Vehicle
        import_id_fields = ("stock_id",)
        fields = tuple(EXPORT_COLUMNS)
        export_order = tuple(EXPORT_COLUMNS)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    @classmethod
    def field_from_django_field(cls, field_name: str, django_field: Any, readonly: bool) -> fields.Field:
        field = super().field_from_django_field(field_name, django_field, readonly)
        if field_name in PARSERS:
            field.widget = CatalogCellWidget(PARSERS[field_name])
        return field

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        """Headers to the field names (Kavak's, Spanish or English ones alike); a body type column to infer into."""
        headers = [str(header or "") for header in dataset.headers]
        dataset.headers = [COLUMN_ALIASES.get(header_key(header), header) for header in headers]
        missing = sorted(REQUIRED_COLUMNS - set(dataset.headers))
        if missing:
            raise CatalogImportError(f"Faltan columnas: {', '.join(missing)}.")
        if "body_type" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="body_type")
        self._first_row_of: dict[str, int] = {}

    def before_import_row(self, row: dict[str, Any], row_number: int | None = None, **kwargs: Any) -> None:
        self._reject_repeated_stock_id(row, row_number)
        if not cell_text(row.get("body_type")):
            body_type = self._inferred_body_type(row)
            if body_type:
                row["body_type"] = body_type
            else:
                del row["body_type"]  # unknown: a vehicle already in the catalog keeps its body type

    def _reject_repeated_stock_id(self, row: dict[str, Any], row_number: int | None) -> None:
        with contextlib.suppress(CellError):
            stock_id = PARSERS["stock_id"](cell_text(row.get("stock_id")))
            first = self._first_row_of.setdefault(stock_id, row_number or 0)
            if first != row_number:
                raise ValidationError({"stock_id": f"stock_id {stock_id} repetido (ya en la fila {first})"})

    @staticmethod
    def _inferred_body_type(row: dict[str, Any]) -> str:
        values: dict[str, Any] = {}
        for name in ("make", "model", "version", "length_mm", "height_mm"):
            with contextlib.suppress(CellError):
                values[name] = PARSERS[name](cell_text(row.get(name)))
        if not values.get("make") or not values.get("model"):
            return ""  # the row is invalid anyway; its own cells report why
        return infer_body_type(
            values["make"],
            values["model"],
            height_mm=values.get("height_mm"),
            length_mm=values.get("length_mm"),
            version=values.get("version", ""),
        )
