"""The web chat in a real Chromium (Debian's, driven by Playwright) against a live server with the demo data.

Screenshots go to artifacts/screenshots/ (git-ignored). The pages run under their real
Content-Security-Policy: a script or style it blocked would show up as a console error.
"""

import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from conversations.models import Channel
from conversations.tests.browser import CHROMIUM, SCREENSHOTS, TIMEOUT_MS, needs_chromium
from leads.models import Lead

DESKTOP = {"width": 1280, "height": 860}
DOCS = {"width": 1100, "height": 1120}  # docs/webchat.png is the plan step of the first test, at this size
PHONE = {"width": 390, "height": 844}
MONEY_WITH_CENTS = re.compile(r"^\$\d{1,3}(,\d{3})*\.\d{2}$")
FOLIO = re.compile(r"^KVK-[0-9A-Z]{4}-[0-9A-Z]{4}$")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("webchat_browser"),  # one worker, one Chromium for the module
    needs_chromium,
]

if CHROMIUM.exists():
    from playwright.sync_api import Page, expect


@pytest.fixture
def demo(transactional_db: None, live_server) -> str:
    call_command("seed_demo", verbosity=0)
    return live_server.url


class Tab:
    """A browser tab that remembers console errors and failed requests (a CSP violation is one)."""

    def __init__(self, page: "Page", name: str) -> None:
        self.page = page
        self.name = name
        self.errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def shot(self, step: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"webchat-{self.name}-{step}.png")

    def say(self, text: str) -> None:
        self.page.get_by_label(re.compile("^Escribe tu mensaje")).fill(text)
        self.page.keyboard.press("Enter")

    def bot_messages(self):
        return self.page.locator("#webchat-log > .msg--bot")

    def quick_replies(self):
        return self.page.get_by_role("group", name="Respuestas rápidas").get_by_role("button")

    def quick_reply(self, label: str):
        return self.page.get_by_role("group", name="Respuestas rápidas").get_by_role("button", name=label, exact=True)


@pytest.fixture
def open_tab(browser, request) -> Iterator[Callable[..., Tab]]:
    contexts = []

    def open_(viewport: dict[str, int] = DESKTOP) -> Tab:
        context = browser.new_context(viewport=viewport, locale="es-MX")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return Tab(context.new_page(), request.node.name.removeprefix("test_it_"))

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def dealer_site() -> Iterator[Callable[[str], str]]:
    """Another origin (127.0.0.1 on its own port) serving a dealer's page with a strict CSP of its own."""
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get("html", "").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", pages.get("csp", ""))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"

    def host(chat_url: str) -> str:
        pages["html"] = (
            '<!doctype html><html lang="es-MX"><head><meta charset="utf-8"><title>Autos del Valle</title>'
            f'<script src="{chat_url}/static/webchat/widget.js" data-assistant="kvky" defer></script>'
            "</head><body><h1>Autos del Valle</h1><p>Seminuevos con garantía.</p></body></html>"
        )
        pages["csp"] = f"default-src 'self'; script-src {chat_url}; frame-src {chat_url}"
        return origin

    yield host
    server.shutdown()
    server.server_close()


def test_it_takes_a_customer_from_a_search_to_a_folio(demo, open_tab):
    tab = open_tab(DOCS)
    page = tab.page
    page.goto(f"{demo}/chat/kvky/")

    tab.say("¿tienen chevys de menos de 300k?")
    cards = page.locator(".card")
    expect(cards.first).to_be_visible()
    expect(page.get_by_role("heading", name="Chevrolet Onix 2022")).to_have_count(1)
    tab.shot("1-search")

    page.get_by_role("button", name="Ver detalles del Chevrolet Onix 2022").click()
    expect(tab.bot_messages()).to_have_count(3)
    details = tab.bot_messages().last
    expect(details).to_contain_text("Chevrolet Onix 2022")

    details.get_by_role("button", name="Calcular mensualidad del Chevrolet Onix 2022").click()
    table = page.get_by_role("table").last
    expect(table).to_contain_text("48 meses")
    monthly = table.locator("tbody td.plan__monthly")
    expect(monthly).to_have_count(4)
    assert all(MONEY_WITH_CENTS.match(amount) for amount in monthly.all_inner_texts())
    tab.shot("2-plan")

    tab.say("lo quiero")
    folio = page.locator(".folio__value")
    expect(folio).to_have_text(FOLIO)
    tab.shot("3-folio")

    lead = Lead.objects.get(folio=folio.inner_text())
    assert (lead.conversation.channel, lead.vehicle.model) == (Channel.WEB, "Onix")
    assert tab.errors == []


def test_it_answers_a_new_hires_question_on_a_phone(demo, open_tab):
    tab = open_tab(PHONE)
    tab.page.goto(f"{demo}/chat/blinky/")

    tab.say("¿cuándo me pagan?")
    answer = tab.bot_messages().nth(1)
    expect(answer).to_contain_text("quincena")
    expect(answer.locator(".msg__tag")).to_contain_text("Pregunta frecuente")
    tab.shot("1-answer")
    assert tab.errors == []


def test_it_keeps_the_conversation_after_a_reload(demo, open_tab):
    tab = open_tab(PHONE)
    tab.page.goto(f"{demo}/chat/blinky/")
    tab.say("¿cuándo me pagan?")
    expect(tab.bot_messages()).to_have_count(2)

    tab.page.reload()
    expect(tab.page.locator("#webchat")).to_have_attribute("data-state", "ready")  # the history is drawn
    expect(tab.bot_messages()).to_have_count(2)
    expect(tab.page.locator(".msg--user .msg__bubble")).to_have_text(["¿cuándo me pagan?"])


def test_it_can_be_used_with_the_keyboard_only(demo, open_tab):
    tab = open_tab(DESKTOP)
    page = tab.page
    page.goto(f"{demo}/chat/kvky/")
    message_box = page.get_by_label(re.compile("^Escribe tu mensaje"))

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Ir a escribir un mensaje")).to_be_focused()
    page.keyboard.press("Enter")
    expect(message_box).to_be_focused()
    page.keyboard.type("¿tienen chevys de menos de 300k?")
    page.keyboard.press("Enter")
    expect(page.locator(".card").first).to_be_visible()
    expect(message_box).to_be_focused()

    calculate = page.get_by_role("button", name="Calcular mensualidad del Chevrolet Onix 2022")
    _press_until_focused(page, "Shift+Tab", calculate)
    assert _has_visible_focus(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("table")).to_contain_text("Mensualidad")
    tab.shot("1-plan")

    yes = tab.quick_reply("Sí")  # "¿Te gustaría apartarlo…?": "Sí" sets the car aside
    _press_until_focused(page, "Tab", yes)
    page.keyboard.press("Enter")
    expect(page.locator(".folio__value")).to_have_text(FOLIO)
    expect(message_box).to_be_focused()  # the quick reply went away with the answer
    tab.shot("2-folio")
    assert tab.errors == []


def test_it_keeps_every_quick_reply_in_sight_on_a_phone(demo, open_tab):
    tab = open_tab(PHONE)
    tab.page.goto(f"{demo}/chat/kvky/")

    expect(tab.quick_replies()).to_have_count(3)
    assert _out_of_sight(tab) == []
    tab.shot("1-greeting")


def test_it_offers_yes_and_no_after_a_plan_and_takes_no_for_an_answer(demo, open_tab):
    tab = open_tab(PHONE)
    tab.page.goto(f"{demo}/chat/kvky/")
    tab.say("Calcular la mensualidad del Chevrolet Onix 2022")
    expect(tab.page.get_by_role("table")).to_contain_text("48 meses")

    expect(tab.quick_replies()).to_have_text(["Sí", "No", "Ver autos", "Hablar con un asesor"])
    assert _out_of_sight(tab) == []
    tab.shot("1-plan")

    tab.quick_reply("No").click()
    expect(tab.bot_messages()).to_have_count(3)
    expect(tab.bot_messages().last).to_contain_text("¡Gracias por escribirnos!")
    assert Lead.objects.count() == 0
    assert tab.errors == []


def test_it_hands_over_when_the_customer_says_yes_to_a_person(demo, open_tab):
    tab = open_tab(PHONE)
    tab.page.goto(f"{demo}/chat/kvky/")
    tab.say("¿el onix 2022 tiene quemacocos?")
    expect(tab.bot_messages().last).to_contain_text("¿Quieres que te comunique con un asesor?")

    tab.quick_reply("Sí").click()
    expect(tab.page.get_by_role("status").filter(has_text="Una persona del equipo")).to_be_visible()
    expect(tab.quick_replies()).to_have_count(0)
    tab.shot("1-handoff")
    assert tab.errors == []


def test_it_says_a_message_is_too_long_instead_of_cutting_it(demo, open_tab):
    tab = open_tab(PHONE)
    page = tab.page
    page.goto(f"{demo}/chat/kvky/")
    message_box = page.get_by_label(re.compile("^Escribe tu mensaje"))
    too_long = "Busco una camioneta familiar. " * 54 + "¿Qué tienen?"  # 1,632 characters
    at_the_limit = "¿Tienen camionetas familiares? " * 51 + "Gracias."  # 1,589 characters

    message_box.fill(too_long)
    expect(message_box).to_have_value(too_long)  # not cut at the limit
    counter = page.locator("#webchat-count")
    expect(counter).to_have_text("1,632 de 1,600 caracteres: pasa del máximo; quita 32 para enviarlo.")
    expect(message_box).to_have_attribute("aria-invalid", "true")
    tab.shot("1-counter")

    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Tu mensaje tiene 1,632 caracteres y el máximo es de 1,600")
    expect(message_box).to_have_value(too_long)  # given back to shorten
    expect(counter).to_contain_text("quita 32")
    expect(page.locator("#webchat-log > .msg--user")).to_have_count(0)
    tab.shot("2-refused")

    message_box.fill(at_the_limit)
    expect(counter).to_have_text("1,589 de 1,600 caracteres")
    expect(message_box).not_to_have_attribute("aria-invalid", "true")

    # Sent short: reading a message near the limit takes the engine many seconds on a busy machine.
    message_box.fill("¿Tienen camionetas familiares?")
    expect(counter).to_be_hidden()
    page.keyboard.press("Enter")
    expect(tab.bot_messages()).to_have_count(2)
    expect(page.get_by_role("alert")).to_be_hidden()


def test_it_opens_from_the_widget_on_a_dealers_site(demo, open_tab, dealer_site, settings):
    dealer = dealer_site(demo)
    settings.WEBCHAT_ALLOWED_ORIGINS = [dealer]
    tab = open_tab(DESKTOP)
    page = tab.page
    page.goto(dealer)

    launcher = page.get_by_role("button", name="Chatea con nosotros")
    launcher.click()
    chat = page.frame_locator("iframe[data-kvky-webchat=frame]")
    chat.get_by_label(re.compile("^Escribe tu mensaje")).fill("hola")
    chat.get_by_label(re.compile("^Escribe tu mensaje")).press("Enter")
    expect(chat.locator("#webchat-log > .msg--bot")).to_have_count(2)
    tab.shot("1-open")

    chat.get_by_role("button", name="Cerrar el chat").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_be_focused()
    assert tab.errors == []


def test_it_will_not_open_inside_a_site_that_is_not_allowed(demo, open_tab, dealer_site, settings):
    dealer = dealer_site(demo)
    settings.WEBCHAT_ALLOWED_ORIGINS = []
    tab = open_tab(DESKTOP)
    page = tab.page
    page.goto(dealer)

    with page.expect_console_message(lambda message: "frame-ancestors" in message.text):
        page.get_by_role("button", name="Chatea con nosotros").click()


def _out_of_sight(tab: Tab) -> list[str]:
    """The quick replies not wholly inside the viewport and their row (a row that scrolls hides some)."""
    return tab.page.evaluate(
        """() => {
          const row = document.getElementById("webchat-quick").getBoundingClientRect();
          const right = Math.min(row.right, document.documentElement.clientWidth);
          return [...document.querySelectorAll("#webchat-quick button")]
            .filter((button) => {
              const box = button.getBoundingClientRect();
              return box.width === 0 || box.left < Math.max(row.left, 0) || box.right > right + 0.5;
            })
            .map((button) => button.textContent);
        }"""
    )


def _press_until_focused(page: "Page", key: str, target, limit: int = 60) -> None:
    for _ in range(limit):
        if target.evaluate("node => node === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached the element")


def _has_visible_focus(page: "Page") -> bool:
    style = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    return style not in ("", "none")
