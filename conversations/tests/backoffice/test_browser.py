"""The back office in a real Chromium (Debian's, driven by Playwright) against a live server with the demo
data and a few conversations made through handle_turn.

Screenshots of each page go to artifacts/screenshots/ (git-ignored); docs/admin-dashboard.png and
docs/admin-transcript.png are copies of admin-dashboard-all.png and admin-transcript.png. The pages run under
the site's real Content-Security-Policy: a script or style it blocked would show up as a console error.
"""

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from conversations.models import FAQ, Assistant, Channel, Conversation
from conversations.services import handle_turn
from conversations.tests.backoffice.users import PASSWORD, StaffUserFactory, hr_user, sales_manager
from conversations.tests.browser import CHROMIUM, SCREENSHOTS, TIMEOUT_MS, needs_chromium

VIEWPORT = {"width": 1440, "height": 900}
SALES_CUSTOMER = "+5215544443333"

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]

if CHROMIUM.exists():
    from playwright.sync_api import Page, expect


def _talk(assistant: Assistant, sender: str, profile_name: str, *texts: str) -> None:
    for text in texts:
        handle_turn(assistant=assistant, sender=sender, text=text, channel=Channel.API, profile_name=profile_name)


@pytest.fixture
def site(transactional_db: None, live_server, settings) -> str:
    """The demo data, a sales conversation that gets plans and a lead, one handed to a person, an HR one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # logins stay quick
    call_command("seed_demo", verbosity=0)
    kvky, blinky = Assistant.objects.get(slug="kvky"), Assistant.objects.get(slug="blinky")
    _talk(
        kvky,
        SALES_CUSTOMER,
        "Ana López",
        "hola",
        "busco una suv de menos de 400 mil",
        "me interesa la primera",
        "¿cuánto pagaría al mes a 4 años?",
        "la quiero apartar",
    )
    _talk(kvky, "+5215511112222", "Jorge", "hola", "quiero hablar con un asesor")
    _talk(blinky, "+5215566667777", "Mariana", "hola", "¿cuándo me pagan?", "¿y cuántos días de vacaciones tengo?")
    Conversation.objects.filter(sender=SALES_CUSTOMER).update(csat_score=5, nps_score=9)
    return live_server.url


class Tab:
    """A browser tab that remembers console errors (a CSP violation is one) and takes screenshots."""

    def __init__(self, page: "Page", base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str) -> None:
        self.page.goto(f"{self.base_url}{path}")

    def log_in(self, username: str) -> None:
        self.open("/admin/login/?next=/admin/")
        self.page.get_by_label(re.compile("usuario", re.IGNORECASE)).fill(username)
        self.page.get_by_label(re.compile("contraseña", re.IGNORECASE)).fill(PASSWORD)
        self.page.locator("input[type=submit]").click()
        expect(self.page.locator("#user-tools")).to_contain_text(username)

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"admin-{name}.png", full_page=True)


@pytest.fixture
def tab(browser, site: str) -> Iterator[Tab]:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="es-MX")
    context.set_default_timeout(TIMEOUT_MS)
    yield Tab(context.new_page(), site)
    context.close()


def test_it_lets_a_sales_manager_filter_the_catalog(tab: Tab):
    sales_manager()
    tab.log_in("ventas")
    tab.open("/admin/catalog/vehicle/")

    tab.page.locator("#changelist-filter").get_by_role("link", name="SUV / camioneta").click()
    expect(tab.page).to_have_url(re.compile(r"body_type__exact=suv"))  # the second link is the new page's
    tab.page.locator("#changelist-filter").get_by_role("link", name="$300,000 a $400,000").click()

    expect(tab.page).to_have_url(re.compile(r"(?=.*body_type__exact=suv)(?=.*precio=300000-400000)"))
    rows = tab.page.locator("#result_list tbody tr")
    expect(rows.first).to_be_visible()
    prices = [int(re.sub(r"\D", "", text)) for text in rows.locator("td.field-price_pesos").all_inner_texts()]
    assert prices and all(300_000 <= price < 400_000 for price in prices)
    assert set(rows.locator("td.field-body_type").all_inner_texts()) == {"SUV / camioneta"}
    tab.shot("catalog")
    assert tab.errors == []


def test_it_lets_a_sales_manager_read_a_transcript_with_intents_and_slots(tab: Tab):
    sales_manager()
    tab.log_in("ventas")
    tab.open("/admin/conversations/conversation/")
    expect(tab.page.locator("#result_list tbody tr").first).to_contain_text("Jorge")  # the handoff inbox first
    tab.shot("conversations")

    tab.page.get_by_role("link", name=re.compile("Ana López")).click()

    chat = tab.page.get_by_role("region", name="Transcripción")
    expect(chat.locator(".turn-user").first).to_contain_text("hola")
    expect(chat.locator(".turn-user .intent", has_text="Búsqueda de autos")).to_be_visible()
    expect(chat.locator(".turn-user .slot", has_text="carrocería")).to_be_visible()
    expect(chat.locator(".turn-bot .action", has_text="calculó").first).to_be_visible()
    tab.shot("transcript")
    assert tab.errors == []


def test_it_lets_a_sales_manager_reply_and_hand_back_to_the_bot(tab: Tab):
    sales_manager()
    tab.log_in("ventas")
    tab.open("/admin/conversations/conversation/?handoff__exact=1")
    tab.page.get_by_role("link", name=re.compile("Jorge")).click()

    tab.page.get_by_label("Tu respuesta").fill("Hola Jorge, soy de ventas. ¿En qué te ayudo?")
    tab.page.get_by_role("button", name="Enviar respuesta").click()
    expect(tab.page.locator(".turn-staff").last).to_contain_text("soy de ventas")
    tab.page.get_by_role("button", name="Devolver al bot").click()

    expect(tab.page.get_by_role("button", name="Tomar la conversación")).to_be_visible()
    assert Conversation.objects.get(sender="+5215511112222").handoff is False
    assert tab.errors == []


def test_it_lets_a_sales_manager_export_the_filtered_leads(tab: Tab):
    sales_manager()
    tab.log_in("ventas")
    tab.open("/admin/leads/lead/?status__exact=new")
    expect(tab.page.locator("#result_list tbody tr")).to_have_count(1)
    tab.shot("leads")

    tab.page.get_by_role("link", name=re.compile("Exportar")).click()
    tab.page.locator("select[name=format]").select_option(label="csv")
    with tab.page.expect_download() as download:
        tab.page.locator("input[type=submit]").click()

    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["folio"].startswith("KVK-")
    assert rows[0]["nombre"] == "Ana López"


def test_it_lets_hr_staff_edit_a_faq_and_try_a_question(tab: Tab):
    hr_user()
    tab.log_in("rh")
    tab.open("/admin/conversations/faq/")
    tab.page.get_by_role("link", name="¿Qué días me pagan?").click()
    answer = tab.page.get_by_label("Respuesta")
    answer.fill("Pagamos cada quincena, los días 15 y último de cada mes, por depósito.")
    tab.page.get_by_role("button", name="Guardar", exact=True).click()
    expect(tab.page.locator(".messagelist")).to_contain_text("Se guardaron los cambios de «¿Qué días me pagan?»")

    tab.page.get_by_label(re.compile(r"^Pregunta:?$")).fill("¿qué día cae la quincena?")
    tab.page.get_by_role("button", name="Probar").click()

    expect(tab.page.locator(".trial-verdict")).to_contain_text("Blinky respondería con «¿Qué días me pagan?»")
    expect(tab.page.locator(".faq-trial blockquote")).to_contain_text("los días 15 y último de cada mes")
    assert FAQ.objects.get(question="¿Qué días me pagan?").answer.startswith("Pagamos cada quincena")
    tab.shot("faq-try")
    assert tab.errors == []


def test_it_renders_the_dashboard_charts(tab: Tab):
    sales_manager()
    tab.log_in("ventas")

    tab.page.get_by_role("link", name="Tablero").first.click()

    expect(tab.page.locator("#kpi-conversations")).to_have_text("2")
    expect(tab.page.locator("#kpi-conversion")).to_have_text("50.0 %")  # Ana left her details, Jorge did not
    charts = tab.page.locator("svg.chart")
    expect(charts).to_have_count(8)
    expect(tab.page.locator("#onboarding-figures")).to_have_count(0)
    intents = tab.page.get_by_role("img", name="Mensajes del cliente por intención")
    expect(intents.locator("rect.chart-bar").first).to_be_visible()
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 80
    tab.shot("dashboard")
    assert tab.errors == []


def test_it_shows_a_superuser_the_sales_and_the_onboarding_figures_apart(tab: Tab):
    StaffUserFactory(username="jefa", is_superuser=True)
    tab.log_in("jefa")

    tab.page.get_by_role("link", name="Tablero").first.click()

    funnel = tab.page.locator("#funnel tbody tr")
    expect(funnel).to_have_count(5)
    expect(funnel.nth(3)).to_contain_text("Dejaron sus datos")
    expect(tab.page.get_by_role("img", name=re.compile("Modelos más pedidos")).locator(".chart-label")).to_contain_text(
        ["Dodge Journey"]
    )
    expect(tab.page.locator("#kpi-answered")).to_have_text("2")  # Mariana's two questions, both answered
    tab.shot("dashboard-all")
    assert tab.errors == []
