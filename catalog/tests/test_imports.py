"""The catalog import in the admin (contract §7): a preview that lists every bad row with the spreadsheet's own
line number and a Spanish reason, then a confirmation that imports the valid rows, as the command does."""

import io
import re
from datetime import date
from io import StringIO

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Vehicle
from catalog.tests.admin_io import import_confirm, import_preview
from conversations.tests.backoffice.users import hr_user, logged_in, sales_manager

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:catalog_vehicle_import")
PROCESS_URL = reverse("admin:catalog_vehicle_process_import")
HEADER = "stock_id,marca,modelo,año,precio"
GOOD = ["5001,Kia,Rio,2020,250000", "5003,Mazda,CX-5,2022,455000"]
BAD_YEAR = "5002,Kia,Rio,1890,250000"
FILE = "\n".join([HEADER, GOOD[0], BAD_YEAR, GOOD[1]]).encode()  # the bad row is line 3 of the spreadsheet


@pytest.fixture
def client():
    return logged_in(sales_manager())


def _error_rows(response) -> list[tuple[int, str]]:
    cells = re.findall(r'<td class="import-line">(\d+)</td><td class="import-reason">(.*?)</td>', response.text)
    return [(int(line), reason) for line, reason in cells]


def _stock_ids() -> list[str]:
    return list(Vehicle.objects.order_by("stock_id").values_list("stock_id", flat=True))


def _xlsx(*rows: list) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_it_lists_a_bad_row_with_its_spreadsheet_line_and_a_spanish_reason(client):
    preview = import_preview(client, IMPORT_URL, "catalogo.csv", FILE)

    assert _error_rows(preview) == [(3, f"año: 1890 está fuera de rango (1950–{date.today().year + 1})")]


def test_it_writes_nothing_in_the_preview(client):
    import_preview(client, IMPORT_URL, "catalogo.csv", FILE)

    assert not Vehicle.objects.exists()


def test_it_counts_in_the_preview_what_the_confirmation_will_do(client):
    preview = import_preview(client, IMPORT_URL, "catalogo.csv", FILE)

    assert "Se crearán 2, se actualizarán 0 y 0 quedarán sin cambios. 1 fila tiene errores" in preview.text


def test_it_imports_the_valid_rows_on_confirmation(client):
    import_confirm(client, PROCESS_URL, import_preview(client, IMPORT_URL, "catalogo.csv", FILE))

    assert _stock_ids() == ["5001", "5003"]


def test_it_confirms_in_spanish(client):
    response = import_confirm(client, PROCESS_URL, import_preview(client, IMPORT_URL, "catalogo.csv", FILE))

    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Importación terminada: se crearon 2, se actualizaron 0 y 0 quedaron sin cambios. "
        "1 fila con errores no se importó."
    ]


def test_it_reads_a_quoted_dollar_price_as_a_price(client):
    content = f'{HEADER}\n5001,Kia,Rio,2020,"$315,000"\n'.encode()

    import_confirm(client, PROCESS_URL, import_preview(client, IMPORT_URL, "catalogo.csv", content))

    assert Vehicle.objects.get(stock_id="5001").price == 315000


def test_it_reports_an_unquoted_dollar_price_as_a_bad_row(client):
    content = f"{HEADER}\n5001,Kia,Rio,2020,$315,000\n".encode()

    preview = import_preview(client, IMPORT_URL, "catalogo.csv", content)

    [(line, reason)] = _error_rows(preview)
    assert (line, reason.startswith("tiene 6 celdas y el encabezado 5"), "$315,000" in reason) == (2, True, True)


def test_it_numbers_the_lines_of_an_xlsx_as_excel_does(client):
    content = _xlsx(HEADER.split(","), GOOD[0].split(","), BAD_YEAR.split(","))

    preview = import_preview(client, IMPORT_URL, "catalogo.xlsx", content)

    assert [line for line, _ in _error_rows(preview)] == [3]


def test_it_explains_a_broken_xlsx_instead_of_failing(client):
    preview = import_preview(client, IMPORT_URL, "catalogo.xlsx", b"PK\x03\x04 no es un libro de Excel")

    assert (preview.status_code, "El archivo XLSX no se pudo leer" in preview.text) == (200, True)


def test_it_offers_no_confirmation_when_no_row_is_valid(client):
    preview = import_preview(client, IMPORT_URL, "catalogo.csv", f"{HEADER}\n{BAD_YEAR}\n".encode())

    assert preview.context["confirm_form"] is None
    assert "no tiene ninguna fila válida" in preview.text


def test_it_refuses_a_confirmation_without_its_preview(client):
    response = client.post(PROCESS_URL, {"token": "inventado"})

    assert (response.status_code, response.url, Vehicle.objects.exists()) == (302, IMPORT_URL, False)


def test_it_confirms_a_preview_only_once(client):
    preview = import_preview(client, IMPORT_URL, "catalogo.csv", FILE)
    import_confirm(client, PROCESS_URL, preview)
    Vehicle.objects.all().delete()

    import_confirm(client, PROCESS_URL, preview)

    assert not Vehicle.objects.exists()


def test_it_refuses_the_import_to_hr_staff():
    response = logged_in(hr_user()).get(IMPORT_URL)

    assert response.status_code == 403


def test_it_agrees_with_the_import_command(client, tmp_path):
    path = tmp_path / "catalogo.csv"
    path.write_bytes(FILE)
    out = StringIO()
    call_command("import_catalog", str(path), stdout=out)
    by_command = list(Vehicle.objects.order_by("stock_id").values_list("stock_id", "price", "body_type"))
    Vehicle.objects.all().delete()

    preview = import_preview(client, IMPORT_URL, "catalogo.csv", FILE)
    import_confirm(client, PROCESS_URL, preview)

    assert list(Vehicle.objects.order_by("stock_id").values_list("stock_id", "price", "body_type")) == by_command
    assert [f"línea {line}: {reason}" for line, reason in _error_rows(preview)] == [
        line.strip() for line in out.getvalue().splitlines()[1:]
    ]
