"""The catalog import in a real Chromium: upload a CSV with one bad row, read the bad row's line and reason in
the preview's table, confirm, and find the good rows in the catalog. The preview's screenshot goes to
artifacts/screenshots/admin-import.png (docs/admin-import.png is a copy)."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.models import Vehicle
from conversations.tests.backoffice.users import PASSWORD, sales_manager
from conversations.tests.browser import CHROMIUM, SCREENSHOTS, TIMEOUT_MS, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]

if CHROMIUM.exists():
    from playwright.sync_api import Page, expect

CATALOG = (
    "stock_id,marca,modelo,año,versión,km,precio\n"
    "8001,Chevrolet,Onix,2021,1.0 LS A,28430,226999\n"
    "8002,Mazda,CX-5,1890,i Sport,15000,455000\n"
    '8003,Nissan,Versa,2022,Advance CVT,12000,"$315,000"\n'
)


@pytest.fixture
def page(browser, transactional_db: None, live_server, settings) -> Iterator["Page"]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # logins stay quick
    sales_manager()
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="es-MX")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/admin/login/?next=/admin/catalog/vehicle/")
    page.get_by_label(re.compile("usuario", re.IGNORECASE)).fill("ventas")
    page.get_by_label(re.compile("contraseña", re.IGNORECASE)).fill(PASSWORD)
    page.locator("input[type=submit]").click()
    yield page
    context.close()
    assert errors == []  # a script or style the CSP blocked would be one


def test_it_previews_a_bad_row_and_imports_the_good_ones(page: "Page", tmp_path: Path):
    upload = tmp_path / "catalogo.csv"
    upload.write_text(CATALOG, encoding="utf-8")

    page.get_by_role("link", name=re.compile("Importar")).click()
    page.get_by_label("Archivo del catálogo").set_input_files(upload)
    page.get_by_role("button", name="Ver la vista previa").click()

    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.locator(".import-line")).to_have_text("3")
    expect(errors.locator(".import-reason")).to_contain_text("1890 está fuera de rango")
    expect(page.locator(".import-summary")).to_contain_text("Se crearán 2")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "admin-import.png", full_page=True)

    page.get_by_role("button", name="Confirmar la importación").click()

    expect(page.locator(".messagelist")).to_contain_text("Importación terminada: se crearon 2")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    prices = dict(Vehicle.objects.values_list("stock_id", "price"))
    assert prices == {"8001": 226999, "8003": 315000}
