"""Reading the files staff upload: CSV in any encoding Excel saves, `,` `;` or tab separated, or an XLSX's first
sheet; headers matched loosely, each row kept with the spreadsheet's own line (the header is line 1)."""

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from conversations.backoffice.exports import unescape_formula

Source = str | Path | IO[bytes] | IO[str]

_DELIMITERS = (",", ";", "\t")


class CsvFileError(ValueError):
    """The file cannot be imported at all (unreadable, empty, or without the needed columns)."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"línea {self.line}: {self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return (
            f"{self.created} creados, {self.updated} actualizados, {self.unchanged} sin cambios, "
            f"{self.deleted} eliminados, {len(self.errors)} con errores"
        )


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: Mapping[str, str]  # canonical column name -> stripped cell text ("" when blank)

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class CsvTable:
    columns: frozenset[str]  # canonical names of the columns the file has
    rows: list[CsvRow]
    bad_rows: list[RowError]  # rows whose shape is wrong (more cells than headers)


def header_key(name: str) -> str:
    """'Versión', ' car play ', 'Largo (mm)' -> 'version', 'car_play', 'largo_mm'."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


XLSX_MAGIC = b"PK\x03\x04"  # an XLSX is a zip file


def _read_raw(source: Source) -> bytes | str:
    try:
        if isinstance(source, str | Path):
            return Path(source).read_bytes()
        return source.read()
    except OSError as error:
        raise CsvFileError(f"No se pudo leer el archivo: {error.strerror or error}.") from error


def _xlsx_cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sí" if value else "No"
    return str(value)


def _xlsx_records(raw: bytes) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's non-blank rows with their row numbers (what Excel shows at the left)."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except Exception as error:  # a broken zip or workbook: openpyxl raises many kinds
        raise CsvFileError("El archivo XLSX no se pudo leer; guárdalo de nuevo desde Excel.") from error
    for line, values in enumerate(rows, start=1):
        cells = [_xlsx_cell_text(value) for value in values]
        if any(cell.strip() for cell in cells):
            yield line, cells


def _read_text(raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" as cp1252; a file that is neither is binary garbage.
        text = raw.decode("cp1252", errors="replace").replace("\ufffd", "\x00")
    if "\x00" in text:
        raise CsvFileError("El archivo no es un CSV de texto (UTF-8 o Windows-1252).")
    return text


def _delimiter(header_line: str) -> str:
    return max(_DELIMITERS, key=header_line.count)


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next_line = 1
    try:
        for cells in reader:
            start, next_line = next_line, reader.line_num + 1
            if any(cell.strip() for cell in cells):
                yield start, cells
    except csv.Error as error:
        raise CsvFileError(f"El CSV está mal formado cerca de la línea {reader.line_num}: {error}.") from error


def read_table(source: Source, aliases: Mapping[str, str], required: set[str]) -> CsvTable:
    """Rows keyed by canonical column; `aliases` maps header_key(header) -> canonical name.

    Unknown columns are ignored; a missing required column makes the whole file unusable.
    """
    raw = _read_raw(source)
    if isinstance(raw, bytes) and raw.startswith(XLSX_MAGIC):
        records = _xlsx_records(raw)
    else:
        text = _read_text(raw)
        first_line = text.lstrip("\r\n").split("\n", 1)[0]
        if not first_line.strip():
            raise CsvFileError("El archivo está vacío.")
        records = _records(text, _delimiter(first_line))
    first_record = next(records, None)
    if first_record is None:
        raise CsvFileError("El archivo está vacío.")
    header = first_record[1]
    columns = [aliases.get(header_key(name)) for name in header]
    present = frozenset(column for column in columns if column)
    missing = sorted(required - present)
    if missing:
        raise CsvFileError(
            f"Faltan columnas: {', '.join(missing)}. Encabezados encontrados: {', '.join(h.strip() for h in header)}."
        )
    rows: list[CsvRow] = []
    bad_rows: list[RowError] = []
    for line, cells in records:
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            message = (
                f"tiene {len(cells)} celdas y el encabezado {len(header)}; "
                "si un precio lleva comas (como $315,000), ponlo entre comillas"
            )
            bad_rows.append(RowError(line, message))
            continue
        # A cell our own CSV export escaped ("'=…") is read back as it was.
        values = {
            column: unescape_formula(cell.strip()) for column, cell in zip(columns, cells, strict=False) if column
        }
        rows.append(CsvRow(line, values))
    return CsvTable(present, rows, bad_rows)
