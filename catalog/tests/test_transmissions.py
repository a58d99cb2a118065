from decimal import Decimal
from pathlib import Path

import pytest

from catalog.models import Vehicle
from catalog.selectors import VehicleFilters, vehicle_search
from catalog.services import import_catalog
from catalog.tests.factories import VehicleFactory
from catalog.transmissions import transmission_of


@pytest.mark.parametrize(
    ("version", "transmission"),
    [
        ("1.6 ADVANCE CVT", "automatic"),
        ("2.0 SPORT AT", "automatic"),
        ("2.0 SEDAN I TA", "automatic"),
        ("1.0 LS A", "automatic"),
        ("1.6 5 PTAS. TRENDLINE ASG", "automatic"),
        ("1.6 ROBUST MT", "manual"),
        ("1.4 LT B MT", "manual"),
        ("1.6 SENSE STD", "manual"),
        ("1.0 LS", ""),
        ("", ""),
    ],
)
def test_it_reads_the_transmission_from_the_version(version, transmission):
    assert transmission_of(version) == transmission


@pytest.mark.django_db
def test_it_fills_a_blank_transmission_from_the_version_on_save():
    assert VehicleFactory(version="2.0 SEDAN I TA").transmission == "automatic"


@pytest.mark.django_db
def test_it_keeps_a_transmission_staff_set_by_hand():
    assert VehicleFactory(version="2.0 SEDAN I TA", transmission="manual").transmission == "manual"


@pytest.mark.django_db
def test_it_searches_by_transmission():
    VehicleFactory(stock_id="1", version="1.6 CVT", price=Decimal("200000"))
    VehicleFactory(stock_id="2", version="1.6 MT", price=Decimal("190000"))
    found = vehicle_search(VehicleFilters.from_slots({"transmission": "manual"}))
    assert [vehicle.stock_id for vehicle in found.vehicles] == ["2"]


KAVAK_HEADER = "stock_id,km,price,make,model,year,version,bluetooth,largo,ancho,altura,car_play"


@pytest.mark.django_db
def test_it_imports_the_transmission_the_version_states(tmp_path: Path):
    path = tmp_path / "catalog.csv"
    path.write_text(f"{KAVAK_HEADER}\n311726,28430,226999.0,Chevrolet,Onix,2021,1.0 LS A,Sí,,,,\n", encoding="utf-8")
    import_catalog(path)
    assert Vehicle.objects.get(stock_id="311726").transmission == "automatic"


@pytest.mark.django_db
def test_it_imports_a_transmission_column_over_the_version(tmp_path: Path):
    path = tmp_path / "catalog.csv"
    path.write_text("stock_id,make,model,year,price,version,transmision\n1,Nissan,Versa,2020,200000,1.6 A,Estándar\n")
    import_catalog(path)
    assert Vehicle.objects.get(stock_id="1").transmission == "manual"


@pytest.mark.django_db
def test_it_reports_an_unknown_transmission_by_line(tmp_path: Path):
    path = tmp_path / "catalog.csv"
    path.write_text("stock_id,make,model,year,price,transmision\n1,Nissan,Versa,2020,200000,semiautomática rara\n")
    report = import_catalog(path)
    assert [(error.line, "transmisión" in error.message) for error in report.errors] == [(2, True)]


@pytest.mark.django_db
def test_it_keeps_a_known_transmission_when_a_reimport_cannot_tell(tmp_path: Path):
    VehicleFactory(stock_id="1", version="1.6", transmission="manual")
    path = tmp_path / "catalog.csv"
    path.write_text("stock_id,make,model,year,price,version\n1,Nissan,Versa,2020,200000,1.6 SENSE\n")
    import_catalog(path)
    assert Vehicle.objects.get(stock_id="1").transmission == "manual"
