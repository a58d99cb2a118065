"""The catalog's spreadsheet import and export in the admin: CSV and XLSX round trips, the Kavak sample
format with a preview, row errors, and formula escaping."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from catalog.models import Vehicle
from catalog.resources import VehicleResource
from catalog.services import import_catalog
from catalog.tests.admin_io import export_file, import_confirm, import_preview
from catalog.tests.factories import VehicleFactory
from conversations.backoffice.exports import escape_formula, unescape_formula
from conversations.tests.backoffice.users import logged_in, sales_manager

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:catalog_vehicle_import")
PROCESS_URL = reverse("admin:catalog_vehicle_process_import")
EXPORT_URL = reverse("admin:catalog_vehicle_export")
COMPARED = ["stock_id", "make", "model", "year", "version", "km", "price", "body_type", "bluetooth", "car_play",
            "length_mm", "width_mm", "height_mm", "photo_url", "status"]  # fmt: skip


@pytest.fixture
def client():
    return logged_in(sales_manager())


def _catalog() -> list[tuple]:
    return list(Vehicle.objects.order_by("stock_id").values_list(*COMPARED))


def _two_vehicles() -> None:
    VehicleFactory(stock_id="1001", version="=1+1 LT", photo_url="https://fotos.example.com/1001.jpg", status="sold")
    VehicleFactory(stock_id="1002", make="Mazda", model="CX-5", body_type="suv", car_play=True, length_mm=4550)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_it_imports_back_what_it_exported(client, file_format):
    _two_vehicles()
    before = _catalog()
    exported = export_file(client, EXPORT_URL, file_format).content
    Vehicle.objects.all().delete()

    preview = import_preview(client, IMPORT_URL, f"catalogo.{file_format}", exported)
    import_confirm(client, PROCESS_URL, preview)

    assert _catalog() == before


def test_it_escapes_formulas_in_the_export(client):
    _two_vehicles()

    csv_text = export_file(client, EXPORT_URL, "csv").content.decode("utf-8")

    assert csv_text.startswith("\ufeffstock_id,")
    assert ",'=1+1 LT," in csv_text


def test_it_keeps_formulas_as_quoted_text_in_the_xlsx_export(client):
    _two_vehicles()

    sheet = openpyxl.load_workbook(io.BytesIO(export_file(client, EXPORT_URL, "xlsx").content)).active
    cell = next(row[4] for row in sheet.iter_rows(min_row=2) if row[0].value == "1001")

    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1 LT", "s", True)


def test_it_exports_the_catalog_to_a_named_sheet_with_number_cells(client):
    _two_vehicles()

    workbook = openpyxl.load_workbook(io.BytesIO(export_file(client, EXPORT_URL, "xlsx").content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    price = sheet.cell(row=2, column=header.index("price") + 1)

    assert (workbook.sheetnames, price.data_type, price.number_format) == (["Catálogo"], "n", "#,##0.00")


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+52 55", "-1", "@SUM(A1)", "\tx"])
def test_it_escapes_every_formula_prefix_and_reads_it_back(cell):
    assert escape_formula(cell).startswith("'")
    assert unescape_formula(escape_formula(cell)) == cell


def test_it_leaves_plain_text_and_numbers_unescaped():
    assert (escape_formula("Onix"), escape_formula(Decimal("-1"))) == ("Onix", Decimal("-1"))


def test_it_leaves_a_whole_e164_phone_unescaped():
    assert escape_formula("+525512345678") == "+525512345678"


def test_it_previews_the_kavak_sample_before_importing_it(client, shared_dir):
    content = (shared_dir / "data" / "kavak_catalog.csv").read_bytes()

    preview = import_preview(client, IMPORT_URL, "kavak_catalog.csv", content)

    assert preview.status_code == 200
    assert preview.context["report"].created == 100
    assert not Vehicle.objects.exists()


def test_it_imports_the_kavak_sample_as_the_import_command_does(client, shared_dir):
    path = shared_dir / "data" / "kavak_catalog.csv"
    import_catalog(path)
    by_command = _catalog()
    Vehicle.objects.all().delete()

    import_confirm(client, PROCESS_URL, import_preview(client, IMPORT_URL, "kavak_catalog.csv", path.read_bytes()))

    assert _catalog() == by_command


def test_it_shows_row_errors_in_the_preview_and_imports_the_other_rows(client):
    content = (
        "stock_id,marca,modelo,año,precio\n"
        "2001,Kia,Rio,2020,250000\n"
        "2002,Kia,Rio,1890,250000\n"
        "2003,Kia,Rio,2020,gratis\n"
    ).encode()

    preview = import_preview(client, IMPORT_URL, "catalogo.csv", content)
    import_confirm(client, PROCESS_URL, preview)

    assert "1890 está fuera de rango" in preview.text
    assert "«gratis» no es un número" in preview.text
    assert list(Vehicle.objects.values_list("stock_id", flat=True)) == ["2001"]


def test_it_reports_a_repeated_stock_id_on_its_row():
    dataset = VehicleResource().export()  # headers only
    for year, price in (("2020", "250000"), ("2021", "260000")):
        row = {"stock_id": "3001", "make": "Kia", "model": "Rio", "year": year, "km": "0", "price": price}
        dataset.append([row.get(header, "") for header in dataset.headers])

    result = VehicleResource().import_data(dataset, dry_run=True)

    assert [row.number for row in result.invalid_rows] == [2]
    assert "repetido" in str(result.invalid_rows[0].error_dict)


def test_it_reports_missing_columns(client):
    preview = import_preview(client, IMPORT_URL, "catalogo.csv", b"stock_id,marca\n1,Kia\n")

    assert "Faltan columnas: model, price, year" in preview.text


def test_it_keeps_a_known_body_type_when_the_file_cannot_tell_one(client):
    VehicleFactory(stock_id="4001", make="Marca Rara", model="Modelo Raro", body_type="minivan")
    content = b"stock_id,make,model,year,price\n4001,Marca Rara,Modelo Raro,2020,199999\n"

    import_confirm(client, PROCESS_URL, import_preview(client, IMPORT_URL, "catalogo.csv", content))

    vehicle = Vehicle.objects.get(stock_id="4001")
    assert (vehicle.body_type, vehicle.price) == ("minivan", Decimal("199999.00"))
