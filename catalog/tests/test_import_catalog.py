import csv
from decimal import Decimal
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from catalog.models import Availability, Vehicle
from catalog.selectors import VehicleFilters, vehicle_card, vehicle_search
from catalog.services import CatalogImportError, import_catalog
from catalog.tests.factories import VehicleFactory
from catalog.vocabulary import get_vocabulary
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

KAVAK_HEADER = "stock_id,km,price,make,model,year,version,bluetooth,largo,ancho,altura,car_play"
ONIX = "311726,28430,226999.0,Chevrolet,Onix,2021,1.0 LS A,Sí,4474.0,1730.0,1470.0,"
SPARK = "291733,76800,142999.0,Chevrolet,Spark,2017,1.4 LT B MT,,3636.0,1595.0,1476.0,"
TRACKER = "278247,15555,301999.0,Chevrolet,Tracker,2021,1.2 LS A,Sí,4270.0,1791.0,1606.0,Sí"
OWN_COLUMNS = [
    "stock_id",
    "make",
    "model",
    "year",
    "version",
    "km",
    "price",
    "body_type",
    "bluetooth",
    "car_play",
    "length_mm",
    "width_mm",
    "height_mm",
    "photo_url",
    "status",
]


def _kavak_csv(path: Path, *lines: str, header: str = KAVAK_HEADER, encoding: str = "utf-8") -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding=encoding)
    return path


def _stock_ids() -> list[str]:
    return sorted(Vehicle.objects.values_list("stock_id", flat=True))


def _export_own_format(path: Path) -> Path:
    """The project's own format, written from the database the way an export would."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(OWN_COLUMNS)
        for vehicle in Vehicle.objects.order_by("stock_id"):
            writer.writerow(["" if getattr(vehicle, name) is None else getattr(vehicle, name) for name in OWN_COLUMNS])
    return path


# --- the Kavak sample -------------------------------------------------------------


def test_it_imports_every_row_of_the_kavak_sample(shared_dir):
    report = import_catalog(shared_dir / "data" / "kavak_catalog.csv")
    assert (report.created, report.errors, Vehicle.objects.count()) == (100, [], 100)


def test_it_finds_seven_chevrolets_under_300k_after_importing_the_sample(shared_dir):
    import_catalog(shared_dir / "data" / "kavak_catalog.csv")
    result = vehicle_search(VehicleFilters(make="Chevrolet", max_price=300000))
    assert result.total == 7
    assert {"Onix", "Aveo"} <= {vehicle.model for vehicle in result.vehicles}


def test_it_reads_the_samples_onix_faithfully(shared_dir):
    import_catalog(shared_dir / "data" / "kavak_catalog.csv")
    onix = Vehicle.objects.get(stock_id="311726")
    assert vehicle_card(onix) == {
        "stock_id": "311726",
        "make": "Chevrolet",
        "model": "Onix",
        "year": 2021,
        "version": "1.0 LS A",
        "km": 28430,
        "price": 226999,
        "body_type": "sedan",
        "bluetooth": True,
        "car_play": False,
        "transmission": "automatic",  # "1.0 LS A": Kavak writes A for automatic
        "length_mm": 4474,
        "width_mm": 1730,
        "height_mm": 1470,
        "photo_url": "",
    }


def test_it_infers_a_body_type_for_every_sample_vehicle(shared_dir):
    import_catalog(shared_dir / "data" / "kavak_catalog.csv")
    assert not Vehicle.objects.filter(body_type="").exists()


def test_it_leaves_blank_dimensions_empty(shared_dir):
    import_catalog(shared_dir / "data" / "kavak_catalog.csv")
    assert Vehicle.objects.get(stock_id="317780").height_mm is None


def test_it_leaves_an_unchanged_catalog_alone_on_a_second_import(shared_dir):
    import_catalog(shared_dir / "data" / "kavak_catalog.csv")
    report = import_catalog(shared_dir / "data" / "kavak_catalog.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 100)


# --- updates and --replace -------------------------------------------------------------


def test_it_updates_a_vehicle_by_stock_id(tmp_path):
    VehicleFactory(stock_id="311726", price=Decimal("250000"), km=10)
    report = import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX))
    onix = Vehicle.objects.get(stock_id="311726")
    assert (report.created, report.updated, onix.price, onix.km) == (0, 1, Decimal("226999.00"), 28430)


def test_it_keeps_vehicles_the_file_does_not_name_without_replace(tmp_path):
    VehicleFactory(stock_id="other")
    import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX))
    assert _stock_ids() == ["311726", "other"]


def test_it_keeps_the_status_staff_set_when_the_file_has_none(tmp_path):
    VehicleFactory(stock_id="311726", status=Availability.RESERVED)
    import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX))
    assert Vehicle.objects.get(stock_id="311726").status == Availability.RESERVED


def test_it_makes_the_file_the_whole_catalog_with_replace(tmp_path):
    VehicleFactory(stock_id="gone-1")
    VehicleFactory(stock_id="gone-2")
    VehicleFactory(stock_id="311726")
    report = import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX, SPARK), replace=True)
    assert (report.deleted, report.created, report.updated, _stock_ids()) == (2, 1, 1, ["291733", "311726"])


def test_it_keeps_leads_when_replace_deletes_their_vehicle(tmp_path):
    lead = LeadFactory(vehicle=VehicleFactory(stock_id="gone"), vehicle_label="Chevrolet Onix 2021 (gone)")
    import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX), replace=True)
    lead.refresh_from_db()
    assert (lead.vehicle, lead.vehicle_label) == (None, "Chevrolet Onix 2021 (gone)")


def test_it_keeps_a_vehicle_whose_row_is_bad_on_replace(tmp_path):
    VehicleFactory(stock_id="291733", price=Decimal("142999"))
    bad_spark = SPARK.replace("142999.0", "caro")
    import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX, bad_spark), replace=True)
    assert Vehicle.objects.get(stock_id="291733").price == Decimal("142999")


def test_it_refuses_to_replace_with_a_file_without_valid_rows(tmp_path):
    VehicleFactory(stock_id="kept")
    with pytest.raises(CatalogImportError):
        import_catalog(_kavak_csv(tmp_path / "c.csv", ",1,2,,,,,,,,,"), replace=True)
    assert _stock_ids() == ["kept"]


# --- bad rows ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (ONIX.replace("311726", "", 1), "stock ID: está vacío"),
        (ONIX.replace("226999.0", "doscientos mil"), "precio: «doscientos mil» no es un número"),
        (ONIX.replace("226999.0", "0"), "precio: 0 está fuera de rango"),
        (ONIX.replace(",2021,", ",1890,"), "año: 1890 está fuera de rango"),
        (ONIX.replace(",2021,", ",2021.5,"), "año: «2021.5» no es un número entero"),
        (ONIX.replace("Chevrolet", ""), "marca: está vacío"),
        (ONIX.replace(",Sí,", ",quizá,"), "bluetooth: «quizá» no es Sí/No"),
        (ONIX.replace("28430", "-5"), "kilometraje: -5 está fuera de rango"),
        (ONIX + ",extra", "tiene 13 celdas y el encabezado 12"),
    ],
)
def test_it_reports_a_bad_row_with_its_line_and_imports_the_rest(tmp_path, bad_row, reason):
    report = import_catalog(_kavak_csv(tmp_path / "c.csv", SPARK, bad_row, TRACKER))
    assert [(error.line, error.message[: len(reason)]) for error in report.errors] == [(3, reason)]
    assert _stock_ids() == ["278247", "291733"]


def test_it_reports_a_stock_id_repeated_in_the_file(tmp_path):
    report = import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX, ONIX.replace("226999.0", "1.0")))
    assert [str(error) for error in report.errors] == ["línea 3: stock_id 311726 repetido (ya en la línea 2)"]
    assert Vehicle.objects.get().price == Decimal("226999")


def test_it_counts_lines_from_the_header_across_blank_lines_and_quoted_newlines(tmp_path):
    quoted = '999,1,100000.0,Nissan,Versa,2020,"1.6\nSENSE",,,,,'
    report = import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX, "", quoted, "x,1,caro,Nissan,Versa,2020,,,,,,"))
    assert [error.line for error in report.errors] == [6]


# --- file formats --------------------------------------------------------------------------


def test_it_reads_a_utf8_file_with_a_bom(tmp_path):
    import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX, encoding="utf-8-sig"))
    assert Vehicle.objects.get().bluetooth is True


def test_it_reads_a_semicolon_separated_file_with_decimal_commas(tmp_path):
    header = KAVAK_HEADER.replace(",", ";")
    row = "311726;28430;226999,50;Chevrolet;Onix;2021;1.0 LS A;Sí;4474;1730;1470;"
    import_catalog(_kavak_csv(tmp_path / "c.csv", row, header=header))
    assert Vehicle.objects.get().price == Decimal("226999.50")


def test_it_reads_an_excel_windows_1252_file(tmp_path):
    import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX, encoding="cp1252"))
    assert Vehicle.objects.get().bluetooth is True


def test_it_reads_prices_with_thousands_separators(tmp_path):
    import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX.replace("226999.0", '"$226,999"')))
    assert Vehicle.objects.get().price == Decimal("226999")


def test_it_accepts_headers_in_any_case_and_language(tmp_path):
    header = "Stock ID,Kilometraje,Precio,Marca,Modelo,Año,Versión,Bluetooth,Largo,Ancho,Altura,CarPlay"
    import_catalog(_kavak_csv(tmp_path / "c.csv", TRACKER, header=header))
    assert Vehicle.objects.values_list("make", "model", "year", "car_play").get() == (
        "Chevrolet",
        "Tracker",
        2021,
        True,
    )


def test_it_takes_the_body_type_from_the_file_when_given(tmp_path):
    header = KAVAK_HEADER + ",body_type"
    import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX + ",Hatchback", header=header))
    assert Vehicle.objects.get().body_type == "hatchback"


def test_it_infers_the_body_type_when_the_file_leaves_it_blank(tmp_path):
    header = KAVAK_HEADER + ",body_type"
    import_catalog(_kavak_csv(tmp_path / "c.csv", TRACKER + ",", header=header))
    assert Vehicle.objects.get().body_type == "suv"


def test_it_reports_an_unknown_body_type(tmp_path):
    header = KAVAK_HEADER + ",body_type"
    report = import_catalog(_kavak_csv(tmp_path / "c.csv", ONIX + ",tanque", header=header))
    assert [error.message.split(":")[0] for error in report.errors] == ["carrocería"]


def test_it_round_trips_the_projects_own_format(tmp_path):
    VehicleFactory(stock_id="A1", body_type="coupe", photo_url="https://example.com/a.jpg", status=Availability.SOLD)
    VehicleFactory(stock_id="B2", make="Mazda", model="CX-5", height_mm=1675, length_mm=None, bluetooth=False)
    before = {vehicle.stock_id: vehicle_card(vehicle) | {"status": vehicle.status} for vehicle in Vehicle.objects.all()}
    path = _export_own_format(tmp_path / "own.csv")
    Vehicle.objects.all().delete()
    report = import_catalog(path)
    after = {vehicle.stock_id: vehicle_card(vehicle) | {"status": vehicle.status} for vehicle in Vehicle.objects.all()}
    assert (report.created, report.errors, after) == (2, [], before)


# --- whole-file failures ---------------------------------------------------------------------


def test_it_refuses_a_file_missing_a_required_column(tmp_path):
    with pytest.raises(CatalogImportError, match="price"):
        import_catalog(_kavak_csv(tmp_path / "c.csv", "311726,Chevrolet,Onix,2021", header="stock_id,make,model,year"))


def test_it_refuses_an_empty_file(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("")
    with pytest.raises(CatalogImportError, match="vacío"):
        import_catalog(path)


def test_it_refuses_a_binary_file(tmp_path):
    path = tmp_path / "c.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00\x81\x8d\x00binary")
    with pytest.raises(CatalogImportError):
        import_catalog(path)
    assert not Vehicle.objects.exists()


# --- the command -------------------------------------------------------------------------------


def test_it_prints_a_summary_with_the_bad_lines(tmp_path):
    out = StringIO()
    call_command("import_catalog", str(_kavak_csv(tmp_path / "c.csv", ONIX, SPARK.replace("2017", "17"))), stdout=out)
    assert "1 creados" in out.getvalue() and "línea 3: año: 17 está fuera de rango" in out.getvalue()


def test_it_replaces_the_catalog_from_the_command_line(tmp_path):
    VehicleFactory(stock_id="gone")
    out = StringIO()
    call_command("import_catalog", str(_kavak_csv(tmp_path / "c.csv", ONIX)), "--replace", stdout=out)
    assert (_stock_ids(), "1 eliminados" in out.getvalue()) == (["311726"], True)


def test_it_fails_clearly_and_imports_nothing_for_a_wrong_header(tmp_path):
    with pytest.raises(CommandError, match="Faltan columnas"):
        call_command("import_catalog", str(_kavak_csv(tmp_path / "c.csv", ONIX, header="a,b,c")))
    assert not Vehicle.objects.exists()


def test_it_fails_clearly_for_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No se pudo leer"):
        call_command("import_catalog", str(tmp_path / "missing.csv"))


# --- the engine's vocabulary --------------------------------------------------------


def test_it_teaches_the_vocabulary_an_imported_model_at_once(tmp_path):
    VehicleFactory(make="Chevrolet", model="Spark")
    assert get_vocabulary().find("un tracker").model is None
    import_catalog(_kavak_csv(tmp_path / "catalog.csv", TRACKER))
    assert get_vocabulary().find("un tracker").model == "Tracker"


def test_it_imports_an_xlsx_reporting_bad_rows_by_their_sheet_row(tmp_path):
    workbook = openpyxl.Workbook()
    for line in (KAVAK_HEADER, ONIX, SPARK.replace(",2017,", ",1890,")):
        workbook.active.append(line.split(","))
    workbook.save(tmp_path / "c.xlsx")

    report = import_catalog(tmp_path / "c.xlsx")

    assert ([str(error)[:9] for error in report.errors], _stock_ids()) == (["línea 3: "], ["311726"])
