#!/usr/bin/env python
"""Catalog search latency at 100, 10,000 and 100,000 generated vehicles, on a throwaway SQLite file.

    .venv/bin/python bench/search.py [--sizes 100,10000,100000] [--queries 400] [--explain]

Each size: the catalog is emptied and refilled with generated vehicles (bulk_create; Kavak-like makes,
models, body types, prices, years, mileage; ~10 % reserved or sold), then a realistic mix of filters —
what customers ask for: a make, a make and model, a body type under a budget, a price range, a year and
mileage, features — goes through catalog.selectors.vehicle_search (first page of 50 plus the total).
Prints p50 / p99 / max per size. Target (issue 8): p99 ≤ 20 ms at 100,000 vehicles.
--explain prints SQLite's EXPLAIN QUERY PLAN of each filter shape at the largest size.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import percentile  # noqa: E402

TARGET_P99_MS = 20.0
MODELS = {
    "Nissan": ["Versa", "Sentra", "March", "Kicks", "X-Trail", "NP300"],
    "Volkswagen": ["Jetta", "Vento", "Polo", "Tiguan", "Taos", "Virtus"],
    "Chevrolet": ["Aveo", "Onix", "Spark", "Tracker", "Captiva", "Cavalier"],
    "Toyota": ["Corolla", "Yaris", "RAV4", "Hilux", "Camry", "Avanza"],
    "Honda": ["Civic", "City", "CR-V", "HR-V", "Fit", "BR-V"],
    "Mazda": ["Mazda 2", "Mazda 3", "CX-3", "CX-5", "CX-30", "MX-5"],
    "Kia": ["Rio", "Forte", "Seltos", "Sportage", "Soul", "Sorento"],
    "Hyundai": ["Grand i10", "Accent", "Creta", "Tucson", "Elantra", "Santa Fe"],
    "Ford": ["Figo", "Fiesta", "EcoSport", "Escape", "Ranger", "Mustang"],
    "SEAT": ["Ibiza", "León", "Arona", "Ateca", "Toledo", "Tarraco"],
}
BODY_TYPES = ["sedan", "hatchback", "suv", "pickup", "minivan", "coupe"]


def generated_vehicles(count: int, rng: random.Random) -> list:
    from catalog.models import Availability, Vehicle

    vehicles = []
    for number in range(count):
        make = rng.choice(list(MODELS))
        year = rng.randint(2012, 2025)
        status = rng.choices(
            [Availability.AVAILABLE, Availability.RESERVED, Availability.SOLD], weights=[90, 5, 5]
        )[0]
        vehicles.append(
            Vehicle(
                stock_id=f"B{number:07d}",
                make=make,
                model=rng.choice(MODELS[make]),
                year=year,
                version=rng.choice(["1.6 ADVANCE CVT", "2.0 SPORT AT", "1.5 SENSE MT", "2.5 LIMITED AUTO"]),
                km=rng.randint(3_000, 40_000) * (2026 - year) // 4,
                price=Decimal(rng.randrange(120_000, 950_000, 500)),
                body_type=rng.choice(BODY_TYPES),
                bluetooth=rng.random() < 0.7,
                car_play=rng.random() < 0.4,
                status=status,
            )
        )
    return vehicles


def filter_mix(rng: random.Random) -> list:
    """What customers ask for, in roughly the proportions they ask it."""
    from catalog.selectors import VehicleFilters

    def make() -> str:
        return rng.choice(list(MODELS)).lower()  # typed in lower case: the search ignores case

    def budget() -> int:
        return rng.randrange(150_000, 800_000, 10_000)

    shapes = [
        lambda: VehicleFilters(make=make()),
        lambda: (lambda chosen: VehicleFilters(make=chosen, model=rng.choice(MODELS[chosen.title() if chosen != "seat"
                                                                                  else "SEAT"]).lower()))(make()),
        lambda: VehicleFilters(body_type=rng.choice(BODY_TYPES), max_price=budget()),
        lambda: VehicleFilters(max_price=budget()),
        lambda: (lambda low: VehicleFilters(min_price=low, max_price=low + 100_000))(budget()),
        lambda: VehicleFilters(year_min=rng.randint(2016, 2023), max_km=rng.randrange(30_000, 120_000, 10_000)),
        lambda: VehicleFilters(make=make(), year_min=(year := rng.randint(2015, 2024)), year_max=year),
        lambda: VehicleFilters(car_play=True, max_price=budget()),
        lambda: VehicleFilters(body_type="suv", year_min=rng.randint(2018, 2024), max_price=budget()),
        lambda: VehicleFilters(),
    ]
    return [rng.choice(shapes)() for _ in range(4000)]


def measure(filters_list: list, queries: int) -> list[float]:
    from catalog.selectors import vehicle_search

    samples = []
    for filters in filters_list[:queries]:
        started = time.perf_counter()
        vehicle_search(filters)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _shape(filters: object) -> tuple[str, ...]:
    return tuple(name for name, value in vars(filters).items() if value is not None)


def explain(filters_list: list) -> None:
    """Per filter shape: p99 over its searches, and the query plan of its first page."""
    from django.db import connection

    from catalog.selectors import _filtered, vehicle_search

    seen = set()
    for filters in filters_list:
        shape = _shape(filters)
        if shape in seen:
            continue
        seen.add(shape)
        samples = []
        for same_shape in [other for other in filters_list if _shape(other) == shape][:100]:
            started = time.perf_counter()
            vehicle_search(same_shape)
            samples.append((time.perf_counter() - started) * 1000)
        sql, params = _filtered(filters).order_by("price", "stock_id")[:50].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = "; ".join(row[-1] for row in cursor.fetchall())
        print(f"  {', '.join(shape) or '(no filter)'}: p99 {percentile(samples, 0.99):.1f} ms; {plan}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,10000,100000")
    parser.add_argument("--queries", type=int, default=400, help="searches timed per size")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="kvky-bench-search-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/search.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kvky_site.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    from catalog.models import Vehicle

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(8)
    filters_list = filter_mix(rng)
    print(f"{'vehicles':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}  ({args.queries} searches each)")
    p99 = float("nan")
    for size in [int(size) for size in args.sizes.split(",")]:
        Vehicle.objects.all().delete()
        Vehicle.objects.bulk_create(generated_vehicles(size, rng), batch_size=2000)
        measure(filters_list[-50:], 50)  # warm-up: page cache, statement cache
        samples = measure(filters_list, args.queries)
        p99 = percentile(samples, 0.99)
        print(f"{size:>10,}{percentile(samples, 0.5):>9.2f}{p99:>9.2f}{max(samples):>9.2f}")
    print(f"target: p99 ≤ {TARGET_P99_MS:.0f} ms at the largest size -> {p99:.2f} ms: "
          f"{'MET' if p99 <= TARGET_P99_MS else 'MISSED'}")
    if args.explain:
        explain(filters_list)


if __name__ == "__main__":
    main()
