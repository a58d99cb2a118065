"""The leads export opened the way Excel opens it: the XLSX with openpyxl (sheet, cell types, number formats,
phones), the CSV read back byte for byte (BOM, separator, no cell that starts a formula)."""

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.tests.admin_io import export_file
from conversations.backoffice.exports import FORMULA_PREFIXES
from conversations.tests.backoffice.users import logged_in, sales_manager
from leads.models import Lead
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("admin:leads_lead_export")
PLAN = {"price": 226999.0, "down_payment": 45399.8, "annual_rate": 0.1, "term_months": 48, "monthly_payment": 4605.82}
CREATED = datetime(2026, 12, 1, 10, 42, 31)  # local time


@pytest.fixture
def client():
    return logged_in(sales_manager())


@pytest.fixture
def lead() -> Lead:
    lead = LeadFactory(
        folio="KVK-XLSX-0001", customer_name="-Juan", notes='@SUM(1+1) y "comillas", punto; coma', plan=PLAN
    )
    Lead.objects.filter(pk=lead.pk).update(created_at=timezone.make_aware(CREATED))
    return lead


def _sheet(client):
    workbook = openpyxl.load_workbook(io.BytesIO(export_file(client, EXPORT_URL, "xlsx").content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    return workbook, {name: sheet.cell(row=2, column=index + 1) for index, name in enumerate(header)}


def _csv(client) -> bytes:
    return export_file(client, EXPORT_URL, "csv").content


def test_it_names_the_sheet(client, lead):
    workbook, _ = _sheet(client)

    assert workbook.sheetnames == ["Prospectos"]


def test_it_writes_the_date_as_a_date_cell_in_local_time(client, lead):
    _, cells = _sheet(client)

    assert (cells["fecha"].value, cells["fecha"].is_date) == (datetime(2026, 12, 1, 10, 42), True)
    assert cells["fecha"].number_format == "dd/mm/yyyy hh:mm"


def test_it_writes_the_rate_as_a_percentage_cell(client, lead):
    _, cells = _sheet(client)

    rate = cells["tasa_anual"]
    assert (rate.value, rate.data_type, rate.number_format) == (0.1, "n", "0.00%")


def test_it_writes_money_and_term_as_numbers(client, lead):
    _, cells = _sheet(client)

    assert (cells["mensualidad"].value, cells["mensualidad"].data_type) == (4605.82, "n")
    assert (cells["plazo_meses"].value, cells["plazo_meses"].data_type) == (48, "n")


def test_it_writes_the_phone_as_a_plain_text_cell_in_e164(client, lead):
    _, cells = _sheet(client)

    phone = cells["telefono"]
    assert (phone.value, phone.data_type, phone.quotePrefix) == ("+525512345678", "s", False)


def test_it_keeps_text_that_would_start_a_formula_as_quoted_text(client, lead):
    _, cells = _sheet(client)

    name, notes = cells["nombre"], cells["notas"]
    assert (name.value, name.data_type, name.quotePrefix) == ("-Juan", "s", True)
    assert (notes.value, notes.data_type, notes.quotePrefix) == (lead.notes, "s", True)


def test_it_writes_no_formula_cell(client, lead):
    workbook, _ = _sheet(client)

    assert not [cell for row in workbook.active.iter_rows() for cell in row if cell.data_type == "f"]


def test_it_starts_the_csv_with_a_utf8_bom(client, lead):
    assert _csv(client).startswith(b"\xef\xbb\xbffolio,fecha,")


def test_it_reads_the_csv_back_comma_separated_with_every_column(client, lead):
    text = _csv(client).decode("utf-8-sig")

    assert csv.Sniffer().sniff(text.splitlines()[0]).delimiter == ","
    row = next(csv.DictReader(io.StringIO(text)))
    assert (row["fecha"], row["mensualidad"], row["tasa_anual"]) == ("2026-12-01 10:42", "4605.82", "0.1")
    assert row["notas"] == "'" + lead.notes


def test_it_writes_no_csv_cell_that_starts_a_formula(client, lead):
    rows = list(csv.reader(io.StringIO(_csv(client).decode("utf-8-sig"))))

    starting = [cell for row in rows for cell in row if cell.startswith(FORMULA_PREFIXES)]
    assert starting == ["+525512345678"]  # the phone, in E.164: Excel reads it as a number, never runs it


def test_it_writes_the_phone_in_the_csv_without_an_apostrophe(client, lead):
    row = next(csv.DictReader(io.StringIO(_csv(client).decode("utf-8-sig"))))

    assert (row["telefono"], row["nombre"]) == ("+525512345678", "'-Juan")


def test_it_leaves_the_plan_cells_blank_without_a_plan(client):
    LeadFactory(plan={})

    _, cells = _sheet(client)

    assert (cells["tasa_anual"].value, cells["mensualidad"].value) == (None, None)


def test_it_makes_the_date_column_wide_enough_to_show_the_date(client, lead):
    workbook, cells = _sheet(client)

    assert workbook.active.column_dimensions[cells["fecha"].column_letter].width >= len("01/12/2026 10:42")
