"""Catalog reads: search, details, cards for replies, alternatives when a search finds nothing."""

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import DecimalField, F, QuerySet, Value
from django.db.models.functions import Abs, Lower
from django.db.models.lookups import Exact, In

from catalog.models import Availability, Vehicle
from catalog.transmissions import transmission_of

_ORDER = ("price", "stock_id")
_FEATURE_FLAGS = {"bluetooth": "bluetooth", "car_play": "car_play", "carplay": "car_play"}
_PRICE_SLACK = Decimal("0.20")


def _as_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        return int(Decimal(str(value)).to_integral_value(rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return None


def _as_text(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _features(slots: dict[str, Any]) -> dict[str, bool]:
    features: Iterable[Any] = slots.get("features") or []
    if isinstance(features, str):
        features = [features]
    flags = {_FEATURE_FLAGS[name]: True for name in map(str, features) if name in _FEATURE_FLAGS}
    for name in ("bluetooth", "car_play"):
        if isinstance(slots.get(name), bool):
            flags[name] = slots[name]
    return flags


@dataclass
class VehicleFilters:
    make: str | None = None
    other_makes: tuple[str, ...] = ()  # "mazda o kia": cars of any of the makes
    model: str | None = None
    body_type: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    year_min: int | None = None
    year_max: int | None = None
    max_km: int | None = None
    bluetooth: bool | None = None
    car_play: bool | None = None
    transmission: str | None = None

    @classmethod
    def from_slots(cls, slots: dict[str, Any]) -> "VehicleFilters":
        """Filters from dialogue slots; unrelated keys are ignored, a single `year` means that model year."""
        year = _as_int(slots.get("year"))
        return cls(
            make=_as_text(slots.get("make")),
            other_makes=tuple(text for text in map(_as_text, slots.get("other_makes") or ()) if text),
            model=_as_text(slots.get("model")),
            body_type=_as_text(slots.get("body_type")),
            min_price=_as_int(slots.get("min_price")),
            max_price=_as_int(slots.get("max_price")),
            year_min=_as_int(slots.get("year_min")) or year,
            year_max=_as_int(slots.get("year_max")) or year,
            max_km=_as_int(slots.get("max_km")),
            transmission=_as_text(slots.get("transmission")),
            **_features(slots),
        )

    def is_empty(self) -> bool:
        return all(value is None or value == () for value in dataclasses.asdict(self).values())

    def budget(self) -> int | None:
        """The price the customer aims at: the top of the range, its middle, or its floor."""
        if self.min_price is not None and self.max_price is not None:
            return (self.min_price + self.max_price) // 2
        return self.max_price if self.max_price is not None else self.min_price


@dataclass
class SearchResult:
    vehicles: list[Vehicle]
    total: int


def _available() -> QuerySet[Vehicle]:
    return Vehicle.objects.filter(status=Availability.AVAILABLE)


def _same_text(field: str, value: str | None) -> Exact | None:
    """Case-insensitive equality the catalog's Lower(field) indexes can answer (iexact cannot on SQLite)."""
    return None if value is None else Exact(Lower(field), value.lower())


def _same_make(filters: VehicleFilters) -> Exact | In | None:
    if filters.make is None or not filters.other_makes:
        return _same_text("make", filters.make)
    return In(Lower("make"), [make.lower() for make in (filters.make, *filters.other_makes)])


def _filtered(filters: VehicleFilters) -> QuerySet[Vehicle]:
    texts = [_same_make(filters), _same_text("model", filters.model)]
    texts.append(_same_text("body_type", filters.body_type))
    lookups = {
        "price__gte": filters.min_price,
        "price__lte": filters.max_price,
        "year__gte": filters.year_min,
        "year__lte": filters.year_max,
        "km__lte": filters.max_km,
        "bluetooth": filters.bluetooth,
        "car_play": filters.car_play,
        "transmission": filters.transmission,
    }
    return _available().filter(
        *[text for text in texts if text is not None],
        **{lookup: value for lookup, value in lookups.items() if value is not None},
    )


def vehicle_search(filters: VehicleFilters, *, limit: int = 50) -> SearchResult:
    """Available vehicles matching every filter, cheapest first; total counts all matches."""
    queryset = _filtered(filters).order_by(*_ORDER)
    vehicles = list(queryset[:limit])
    total = len(vehicles) if len(vehicles) < limit else queryset.count()
    return SearchResult(vehicles=vehicles, total=total)


def vehicle_get(stock_id: str, *, available_only: bool = False) -> Vehicle | None:
    """The vehicle with that stock ID, whatever its status unless available_only."""
    queryset = _available() if available_only else Vehicle.objects.all()
    return queryset.filter(stock_id=str(stock_id).strip()).first()


def vehicles_by_stock_ids(stock_ids: Iterable[str], *, available_only: bool = True) -> list[Vehicle]:
    """The vehicles with those stock IDs, in the order given; unknown (or unavailable) ones are left out."""
    wanted = [str(stock_id) for stock_id in stock_ids]
    queryset = _available() if available_only else Vehicle.objects.all()
    found = queryset.in_bulk(wanted, field_name="stock_id") if wanted else {}
    return [found[stock_id] for stock_id in dict.fromkeys(wanted) if stock_id in found]


def vehicle_card(vehicle: Vehicle) -> dict[str, Any]:
    return {
        "stock_id": str(vehicle.stock_id),
        "make": vehicle.make,
        "model": vehicle.model,
        "year": int(vehicle.year),
        "version": vehicle.version,
        "km": int(vehicle.km),
        "price": int(Decimal(vehicle.price).to_integral_value(rounding=ROUND_HALF_UP)),
        "body_type": vehicle.body_type,
        "bluetooth": bool(vehicle.bluetooth),
        "car_play": bool(vehicle.car_play),
        "transmission": vehicle.transmission or transmission_of(vehicle.version),
        "length_mm": vehicle.length_mm,
        "width_mm": vehicle.width_mm,
        "height_mm": vehicle.height_mm,
        "photo_url": vehicle.photo_url,
    }




def _widen_price(filters: VehicleFilters) -> VehicleFilters:
    return dataclasses.replace(
        filters,
        min_price=None if filters.min_price is None else int(filters.min_price * (1 - _PRICE_SLACK)),
        max_price=None if filters.max_price is None else int(filters.max_price * (1 + _PRICE_SLACK)),
    )


# Each step loosens the filters left by the one before, from the least to the most important wish.
_RELAXATIONS: list[Callable[[VehicleFilters], VehicleFilters]] = [
    lambda filters: dataclasses.replace(filters, model=None),
    lambda filters: dataclasses.replace(filters, make=None, other_makes=()),
    _widen_price,
    lambda filters: dataclasses.replace(filters, year_min=None, year_max=None),
    lambda filters: dataclasses.replace(filters, max_km=None),
    lambda filters: dataclasses.replace(filters, body_type=None),
    lambda filters: dataclasses.replace(filters, bluetooth=None, car_play=None, transmission=None),
    lambda filters: dataclasses.replace(filters, min_price=None, max_price=None),
]


def _closest_first(queryset: QuerySet[Vehicle], budget: int | None) -> QuerySet[Vehicle]:
    if budget is None:
        return queryset.order_by(*_ORDER)
    distance = Abs(F("price") - Value(Decimal(budget)), output_field=DecimalField(max_digits=12, decimal_places=2))
    return queryset.annotate(budget_distance=distance).order_by("budget_distance", *_ORDER)


def vehicle_alternatives(filters: VehicleFilters, *, limit: int = 5) -> list[Vehicle]:
    """The closest available vehicles when a search finds nothing: the first relaxation with any match,
    ordered by distance to the customer's budget (cheapest first without one)."""
    budget = filters.budget()
    relaxed = filters
    for relax in _RELAXATIONS:
        loosened = relax(relaxed)
        if loosened == relaxed:
            continue
        relaxed = loosened
        vehicles = list(_closest_first(_filtered(relaxed), budget)[:limit])
        if vehicles:
            return vehicles
    return []


def vehicles_matching(make: str | None, model: str | None, year: int | None = None) -> list[Vehicle]:
    """Available vehicles of that make and/or model (and year), cheapest first; none without make or model."""
    if not make and not model:
        return []
    filters = VehicleFilters(make=_as_text(make), model=_as_text(model), year_min=year, year_max=year)
    return list(_filtered(filters).order_by(*_ORDER))
