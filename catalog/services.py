"""Catalog writes: importing a catalog CSV (the Kavak sample format or the project's own export)."""

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from catalog.csv_table import CsvFileError, CsvRow, ImportReport, RowError, Source, header_key, read_table
from catalog.models import Availability, BodyType, Vehicle
from catalog.transmissions import transmission_of
from catalog.vocabulary import invalidate_vocabulary
from nlu.body_types import infer_body_type

__all__ = ["CatalogImportError", "ImportReport", "RowError", "import_catalog"]

CatalogImportError = CsvFileError

# header_key(header) -> Vehicle field. English names, the Kavak sample's Spanish ones and the admin's labels.
COLUMN_ALIASES: dict[str, str] = {
    **dict.fromkeys(["stock_id", "stock", "stockid", "id_stock", "stock_number"], "stock_id"),
    **dict.fromkeys(["make", "marca", "brand"], "make"),
    **dict.fromkeys(["model", "modelo"], "model"),
    **dict.fromkeys(["year", "ano", "anio"], "year"),
    **dict.fromkeys(["version", "trim"], "version"),
    **dict.fromkeys(["km", "kms", "kilometraje", "kilometros", "mileage", "odometer"], "km"),
    **dict.fromkeys(["price", "precio"], "price"),
    **dict.fromkeys(["bluetooth"], "bluetooth"),
    **dict.fromkeys(["car_play", "carplay", "apple_carplay"], "car_play"),
    **dict.fromkeys(["transmission", "transmision", "caja", "gearbox"], "transmission"),
    **dict.fromkeys(["largo", "largo_mm", "length", "length_mm"], "length_mm"),
    **dict.fromkeys(["ancho", "ancho_mm", "width", "width_mm"], "width_mm"),
    **dict.fromkeys(["altura", "altura_mm", "alto", "alto_mm", "height", "height_mm"], "height_mm"),
    **dict.fromkeys(["body_type", "body", "carroceria", "tipo", "tipo_de_carroceria"], "body_type"),
    **dict.fromkeys(["photo_url", "photo", "foto", "image", "image_url", "imagen"], "photo_url"),
    **dict.fromkeys(["status", "estado", "disponibilidad", "availability"], "status"),
}
REQUIRED_COLUMNS = {"stock_id", "make", "model", "year", "price"}

_TRUE_WORDS = {"si", "sí", "s", "yes", "y", "true", "verdadero", "1", "x"}
_FALSE_WORDS = {"", "no", "n", "false", "falso", "0", "-", "na", "n_a", "none"}
_BODY_TYPE_WORDS: dict[str, str] = {
    **dict.fromkeys(["sedan"], BodyType.SEDAN),
    **dict.fromkeys(["hatchback", "hatch", "hb"], BodyType.HATCHBACK),
    **dict.fromkeys(["suv", "suv_camioneta", "camioneta", "crossover"], BodyType.SUV),
    **dict.fromkeys(["pickup", "pick_up", "troca"], BodyType.PICKUP),
    **dict.fromkeys(["minivan", "van"], BodyType.MINIVAN),
    **dict.fromkeys(["coupe", "cupe"], BodyType.COUPE),
}
_STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(["available", "disponible"], Availability.AVAILABLE),
    **dict.fromkeys(["reserved", "apartado", "reservado"], Availability.RESERVED),
    **dict.fromkeys(["sold", "vendido"], Availability.SOLD),
}
_MAX_PRICE = Decimal("9999999999.99")  # max_digits=12, decimal_places=2
_MAX_INT = 2_147_483_647
_MIN_YEAR = 1950
_url_validator = URLValidator(schemes=["http", "https"])


class CellError(ValueError):
    pass


# --- cell parsers: text -> value, or CellError with a Spanish reason -------------------------------------------


def _text(max_length: int, *, required: bool = False) -> Callable[[str], str]:
    def parse(cell: str) -> str:
        value = " ".join(cell.split())
        if required and not value:
            raise CellError("está vacío")
        if len(value) > max_length:
            raise CellError(f"tiene más de {max_length} caracteres")
        return value

    return parse


def parse_stock_id(cell: str) -> str:
    value = re.sub(r"^(\d+)\.0+$", r"\1", cell.strip())  # 311726.0 from a spreadsheet is 311726
    if not value:
        raise CellError("está vacío")
    if len(value) > 32 or any(ch.isspace() for ch in value):
        raise CellError(f"«{value}» no es un stock ID válido")
    return value


def parse_decimal(cell: str) -> Decimal:
    text = cell.strip().replace("$", "").replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif "," in text:
        # 461,999 is thousands; 461999,50 is a decimal comma (from ;-separated files).
        head, _, tail = text.rpartition(",")
        text = text.replace(",", "") if len(tail) == 3 else f"{head.replace(',', '')}.{tail}"
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"«{cell}» no es un número") from None
    if not value.is_finite():
        raise CellError(f"«{cell}» no es un número")
    return value


def parse_price(cell: str) -> Decimal:
    if not cell.strip():
        raise CellError("está vacío")
    price = parse_decimal(cell).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if not Decimal("1") <= price <= _MAX_PRICE:
        raise CellError(f"{cell} está fuera de rango")
    return price


def _whole_number(cell: str) -> int:
    value = parse_decimal(cell)
    if value != value.to_integral_value():
        raise CellError(f"«{cell}» no es un número entero")
    return int(value)


def parse_year(cell: str) -> int:
    if not cell.strip():
        raise CellError("está vacío")
    year = _whole_number(cell)
    latest = date.today().year + 1
    if not _MIN_YEAR <= year <= latest:
        raise CellError(f"{year} está fuera de rango ({_MIN_YEAR}–{latest})")
    return year


def parse_km(cell: str) -> int:
    if not cell.strip():
        return 0
    km = _whole_number(cell)
    if not 0 <= km <= _MAX_INT:
        raise CellError(f"{cell} está fuera de rango")
    return km


def parse_millimetres(cell: str) -> int | None:
    if not cell.strip():
        return None
    value = parse_decimal(cell).to_integral_value(rounding=ROUND_HALF_UP)
    if not 0 < value <= 100_000:
        raise CellError(f"{cell} está fuera de rango")
    return int(value)


def parse_bool(cell: str) -> bool:
    word = cell.strip().lower()
    if word in _TRUE_WORDS or header_key(word) in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS or header_key(word) in _FALSE_WORDS:
        return False
    raise CellError(f"«{cell}» no es Sí/No")


def parse_body_type(cell: str) -> str:
    if not cell.strip():
        return ""
    try:
        return str(_BODY_TYPE_WORDS[header_key(cell)])
    except KeyError:
        known = ", ".join(BodyType.values)
        raise CellError(f"«{cell}» no es una carrocería conocida ({known})") from None


def parse_transmission(cell: str) -> str:
    """Read like a version's text (Automática, Estándar, CVT, MT…); blank: read from the version later."""
    transmission = transmission_of(cell)
    if cell.strip() and not transmission:
        raise CellError(f"«{cell}» no es una transmisión conocida (automática o estándar)")
    return transmission


def parse_status(cell: str) -> str:
    if not cell.strip():
        return Availability.AVAILABLE
    try:
        return str(_STATUS_WORDS[header_key(cell)])
    except KeyError:
        raise CellError(f"«{cell}» no es una disponibilidad conocida (available, reserved, sold)") from None


def parse_photo_url(cell: str) -> str:
    url = cell.strip()
    if not url:
        return ""
    if len(url) > 200:
        raise CellError("tiene más de 200 caracteres")
    try:
        _url_validator(url)
    except ValidationError:
        raise CellError(f"«{url}» no es una URL válida") from None
    return url


PARSERS: dict[str, Callable[[str], Any]] = {
    "stock_id": parse_stock_id,
    "make": _text(60, required=True),
    "model": _text(80, required=True),
    "year": parse_year,
    "version": _text(160),
    "km": parse_km,
    "price": parse_price,
    "bluetooth": parse_bool,
    "car_play": parse_bool,
    "transmission": parse_transmission,
    "length_mm": parse_millimetres,
    "width_mm": parse_millimetres,
    "height_mm": parse_millimetres,
    "body_type": parse_body_type,
    "photo_url": parse_photo_url,
    "status": parse_status,
}


# --- rows -> vehicles -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VehicleRow:
    line: int
    values: dict[str, Any]  # Vehicle field -> value, only for the columns the file has (body type, transmission always)

    @property
    def stock_id(self) -> str:
        return self.values["stock_id"]


def _parse_row(row: CsvRow, columns: frozenset[str]) -> VehicleRow:
    values: dict[str, Any] = {}
    for column in sorted(columns, key=list(PARSERS).index):
        try:
            values[column] = PARSERS[column](row.get(column))
        except CellError as error:
            # The reason names the column in Spanish ("año: 1890 está fuera de rango"), as the admin labels it.
            raise CellError(f"{Vehicle._meta.get_field(column).verbose_name}: {error}") from None
    if not values.get("body_type"):
        values["body_type"] = infer_body_type(
            values["make"],
            values["model"],
            height_mm=values.get("height_mm"),
            length_mm=values.get("length_mm"),
            version=values.get("version", ""),
        )
    if not values.get("transmission"):
        values["transmission"] = transmission_of(values.get("version", ""))
    return VehicleRow(row.line, values)


def _parse_rows(rows: list[CsvRow], columns: frozenset[str], report: ImportReport) -> tuple[list[VehicleRow], set[str]]:
    """Valid rows, and every stock ID the file names (a bad row still names a vehicle to keep on --replace)."""
    parsed: list[VehicleRow] = []
    named: set[str] = set()
    first_line: dict[str, int] = {}
    for row in rows:
        with contextlib.suppress(CellError):
            named.add(parse_stock_id(row.get("stock_id")))
        try:
            vehicle_row = _parse_row(row, columns)
        except CellError as error:
            report.errors.append(RowError(row.line, str(error)))
            continue
        stock_id = vehicle_row.stock_id
        if stock_id in first_line:
            message = f"stock_id {stock_id} repetido (ya en la línea {first_line[stock_id]})"
            report.errors.append(RowError(row.line, message))
            continue
        first_line[stock_id] = row.line
        parsed.append(vehicle_row)
    return parsed, named


def _apply(vehicle: Vehicle, values: dict[str, Any]) -> list[str]:
    """Copies values onto the vehicle; returns the fields that changed. An unknown body type or transmission
    keeps the old one."""
    changed = []
    for name, value in values.items():
        if name in ("body_type", "transmission") and not value:
            continue
        if getattr(vehicle, name) != value:
            setattr(vehicle, name, value)
            changed.append(name)
    return changed


def _write(rows: list[VehicleRow], report: ImportReport) -> None:
    existing = Vehicle.objects.in_bulk([row.stock_id for row in rows], field_name="stock_id")
    now = timezone.now()
    to_create: list[Vehicle] = []
    to_update: list[Vehicle] = []
    updated_fields: set[str] = set()
    for row in rows:
        vehicle = existing.get(row.stock_id)
        if vehicle is None:
            to_create.append(Vehicle(**row.values))
            continue
        changed = _apply(vehicle, row.values)
        if changed:
            vehicle.updated_at = now
            to_update.append(vehicle)
            updated_fields.update(changed)
        else:
            report.unchanged += 1
    Vehicle.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Vehicle.objects.bulk_update(to_update, sorted({*updated_fields, "updated_at"}), batch_size=500)
    report.created += len(to_create)
    report.updated += len(to_update)


def _delete_all_but(stock_ids: set[str]) -> int:
    stale = [pk for pk, stock_id in Vehicle.objects.values_list("pk", "stock_id") if stock_id not in stock_ids]
    deleted = 0
    for start in range(0, len(stale), 500):
        deleted += Vehicle.objects.filter(pk__in=stale[start : start + 500]).delete()[1].get(Vehicle._meta.label, 0)
    return deleted


def import_catalog(source: Source, *, replace: bool = False, dry_run: bool = False) -> ImportReport:
    """Creates or updates vehicles by stock_id; with replace, vehicles the file does not name are deleted.

    Bad rows are reported by line and skipped. With dry_run the same report comes back and nothing is written
    (the admin's preview: it counts exactly what the confirmation will do). Raises CatalogImportError,
    writing nothing, when the file cannot be read, lacks a required column, or (with replace) has no valid row.
    """
    table = read_table(source, COLUMN_ALIASES, REQUIRED_COLUMNS)
    report = ImportReport(errors=list(table.bad_rows))
    rows, named = _parse_rows(table.rows, table.columns, report)
    if replace and not rows:
        raise CatalogImportError("El archivo no tiene ninguna fila válida; no se reemplazó el catálogo.")
    with transaction.atomic():
        _write(rows, report)
        if replace:
            report.deleted = _delete_all_but(named)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        invalidate_vocabulary()  # bulk writes send no signals
    report.errors.sort(key=lambda error: error.line)
    return report


def vehicles_set_status(vehicles: QuerySet[Vehicle], status: str) -> int:
    """Mark vehicles available, reserved or sold; the bot's search only offers available ones."""
    if status not in Availability.values:
        raise ValueError(f"Unknown availability: {status}")
    return vehicles.exclude(status=status).update(status=status, updated_at=timezone.now())
