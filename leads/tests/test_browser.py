"""The lead workflow in a real Chromium: a salesperson schedules a visit with its date and sees the history.
The screenshot goes to artifacts/screenshots/admin-lead.png (docs/admin-lead.png is a copy of it)."""

import re
from collections.abc import Iterator

import pytest

from catalog.tests.factories import VehicleFactory
from conversations.tests.backoffice.users import PASSWORD, sales_manager
from conversations.tests.browser import CHROMIUM, SCREENSHOTS, TIMEOUT_MS, needs_chromium
from leads.models import LeadStatus
from leads.tests.factories import LeadFactory

pytestmark = [pytest.mark.browser, needs_chromium]

if CHROMIUM.exists():
    from playwright.sync_api import Page, expect


@pytest.fixture
def page(browser, transactional_db: None, live_server, settings) -> Iterator["Page"]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # logins stay quick
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="es-MX")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


def _log_in(page: "Page", username: str) -> None:
    page.goto(f"{page.base_url}/admin/login/?next=/admin/")
    page.get_by_label(re.compile("usuario", re.IGNORECASE)).fill(username)
    page.get_by_label(re.compile("contraseña", re.IGNORECASE)).fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_contain_text(username)


def test_it_lets_a_salesperson_schedule_a_visit_and_see_the_history(page: "Page"):
    sales_manager()
    vehicle = VehicleFactory(stock_id="7001", make="Chevrolet", model="Onix", year=2021)
    lead = LeadFactory(
        folio="KVK-7Q2M-9XHF",
        status=LeadStatus.CONTACTED,
        customer_name="Juan Pérez",
        vehicle=vehicle,
        vehicle_label="Chevrolet Onix 2021 (7001)",
    )
    _log_in(page, "ventas")
    page.goto(f"{page.base_url}/admin/leads/lead/{lead.pk}/change/")

    page.get_by_label("Estado").select_option("visit_scheduled")
    page.locator("input[name=visit_at]").fill("2026-12-05T10:30")
    page.locator("input[name=_continue]").click()

    expect(page.locator(".lead-history")).to_contain_text("estado: contactado → visita agendada (ventas, ")
    expect(page.locator("input[name=visit_at]")).to_have_value("2026-12-05T10:30")
    page.screenshot(path=SCREENSHOTS / "admin-lead.png", full_page=True)


def test_it_shows_a_form_error_for_a_visit_without_a_date(page: "Page"):
    sales_manager()
    lead = LeadFactory(status=LeadStatus.CONTACTED)
    _log_in(page, "ventas")
    page.goto(f"{page.base_url}/admin/leads/lead/{lead.pk}/change/")

    page.get_by_label("Estado").select_option("visit_scheduled")
    page.locator("input[name=_continue]").click()

    expect(page.locator(".errorlist")).to_contain_text("Escribe la fecha y la hora de la visita.")
