"""The inbox in a real Chromium against a live server: a handoff that arrives while the page is open shows up
without a reload, with the count in the tab's title and a chime; 'Tomar' assigns the conversation.

The page runs under the site's real Content-Security-Policy: a blocked script would be a console error.
The screenshot goes to artifacts/screenshots/admin-inbox.png (docs/admin-inbox.png is a copy of it).
"""

import re
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from conversations.models import Assistant, Channel, Conversation
from conversations.services import handle_turn
from conversations.tests.backoffice.users import PASSWORD, sales_manager
from conversations.tests.browser import CHROMIUM, SCREENSHOTS, TIMEOUT_MS, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]

if CHROMIUM.exists():
    from playwright.sync_api import Page, expect

INBOX_PATH = "/admin/conversations/conversation/bandeja/"
NEWCOMER = "+5215577776666"


def _ask_for_a_person(sender: str, profile_name: str) -> None:
    kvky = Assistant.objects.get(slug="kvky")
    for text in ("hola", "quiero hablar con un asesor"):
        handle_turn(assistant=kvky, sender=sender, text=text, channel=Channel.WHATSAPP, profile_name=profile_name)


@pytest.fixture
def site(transactional_db: None, live_server, settings) -> str:
    """The demo data with one customer already waiting for a person; the inbox polls every second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # logins stay quick
    settings.BACKOFFICE_INBOX_POLL_SECONDS = 1
    call_command("seed_demo", verbosity=0)
    _ask_for_a_person("+5215511112222", "Jorge")
    return live_server.url


@pytest.fixture
def page(browser, site: str) -> Iterator["Page"]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="es-MX", base_url=site)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.errors = []  # console errors, e.g. a CSP violation
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def _log_in(page: "Page", username: str) -> None:
    page.goto(f"/admin/login/?next={INBOX_PATH}")
    page.get_by_label(re.compile("usuario", re.IGNORECASE)).fill(username)
    page.get_by_label(re.compile("contraseña", re.IGNORECASE)).fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#inbox")).to_be_visible()


def test_it_shows_a_new_handoff_without_a_reload_and_lets_staff_take_it(page: "Page"):
    sales_manager()
    _log_in(page, "ventas")
    expect(page).to_have_title(re.compile(r"^\(1\) Bandeja"))
    page.evaluate("window.notReloaded = true")

    _ask_for_a_person(NEWCOMER, "Lucía Méndez")

    row = page.locator("#inbox tbody tr", has_text="Lucía Méndez")
    expect(row).to_be_visible()
    expect(row.locator(".inbox-preview")).to_have_text("quiero hablar con un asesor")
    expect(row.locator(".inbox-channel")).to_contain_text("WhatsApp")
    expect(row.locator(".inbox-assignee")).to_have_text("Sin asignar")
    expect(page).to_have_title(re.compile(r"^\(2\) Bandeja"))
    expect(page.locator("#inbox")).to_have_attribute("data-chimes", "1")
    assert page.evaluate("window.notReloaded") is True
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "admin-inbox.png", full_page=True)

    row.get_by_role("button", name="Tomar").click()

    expect(page.locator("#assignee")).to_have_text("ventas")
    assert Conversation.objects.get(sender=NEWCOMER).assigned_to.username == "ventas"
    assert page.errors == []


def test_it_lets_staff_send_a_saved_reply_and_leave_an_internal_note(page: "Page"):
    sales_manager()
    _log_in(page, "ventas")
    page.locator("#inbox tbody tr", has_text="Jorge").get_by_role("link", name="Jorge").click()

    page.get_by_label("Respuesta guardada").select_option(label="Agendar visita")
    expect(page.get_by_label("Tu respuesta")).to_have_value(re.compile(r"^¿Qué día y a qué hora te queda bien"))
    page.get_by_role("button", name="Enviar respuesta").click()
    page.get_by_label("Nota interna").fill("Prefiere que le llamen después de las 6.")
    page.get_by_role("button", name="Guardar nota").click()

    chat = page.get_by_role("region", name="Transcripción")
    expect(chat.locator(".turn-staff").last).to_contain_text("¿Qué día y a qué hora te queda bien")
    expect(chat.locator(".turn-note")).to_contain_text("Prefiere que le llamen después de las 6.")
    expect(page.locator("#response-time")).not_to_have_text("pendiente")
    conversation = Conversation.objects.get(sender="+5215511112222")
    assert not conversation.messages.filter(text__contains="después de las 6").exists()
    assert page.errors == []
