"""The chat page, its security headers, its static files and the home page's links."""

import re

import pytest

from conversations.channels.webchat import session_from_token

pytestmark = pytest.mark.django_db


def _token(html: str) -> str:
    return re.search(r'data-session="([^"]+)"', html).group(1)


def _csp(response) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


def test_it_shows_the_chat_page_of_an_assistant(client, kvky):
    response = client.get("/chat/kvky/")
    assert response.status_code == 200
    assert kvky.greeting in response.content.decode()


def test_it_hands_the_page_a_session_for_that_assistant(client, kvky):
    html = client.get("/chat/kvky/").content.decode()
    assert session_from_token(_token(html), kvky).sender.startswith("web-")


def test_it_issues_a_new_sender_on_each_visit(client, kvky):
    first, second = (_token(client.get("/chat/kvky/").content.decode()) for _ in range(2))
    assert session_from_token(first, kvky).sender != session_from_token(second, kvky).sender


def test_it_sets_no_cookie(client, kvky):
    assert client.get("/chat/kvky/").cookies == {}


def test_it_answers_404_for_an_unknown_assistant(client, kvky):
    assert client.get("/chat/nadie/").status_code == 404


def test_it_is_never_cached(client, kvky):
    assert "no-store" in client.get("/chat/kvky/")["Cache-Control"]


def test_it_labels_the_message_box_and_announces_new_messages(client, kvky):
    html = client.get("/chat/kvky/").content.decode()
    assert '<label class="visually-hidden" for="webchat-input">' in html
    assert re.search(r'<ol[^>]+role="log"[^>]+aria-live="polite"', html)
    assert 'lang="es-MX"' in html


def test_it_uses_no_inline_script_style_or_handler(client, kvky):
    html = client.get("/chat/kvky/").content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all('src="/static/' in tag for tag in scripts)
    assert all(not body.strip() for body in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S))
    assert "<style" not in html
    assert re.search(r"\sstyle=", html) is None
    assert re.search(r"\son[a-z]+=", html) is None


def test_it_loads_its_script_and_styles_only_from_this_site(client, kvky):
    csp = _csp(client.get("/chat/kvky/"))
    assert (csp["default-src"], csp["script-src"], csp["style-src"]) == (["'self'"], ["'self'"], ["'self'"])


def test_it_lets_only_this_site_frame_the_page_by_default(client, kvky):
    response = client.get("/chat/kvky/")
    assert (_csp(response)["frame-ancestors"], response["X-Frame-Options"]) == (["'self'"], "SAMEORIGIN")


def test_it_lets_the_allowed_origins_frame_the_page(client, kvky, settings):
    settings.WEBCHAT_ALLOWED_ORIGINS = ["https://www.mi-agencia.mx", "https://*.autos.mx/"]
    response = client.get("/chat/kvky/?embed=1")
    assert _csp(response)["frame-ancestors"] == ["'self'", "https://www.mi-agencia.mx", "https://*.autos.mx"]
    assert "X-Frame-Options" not in response


def test_it_leaves_a_malformed_origin_out_of_the_policy(client, kvky, settings):
    settings.WEBCHAT_ALLOWED_ORIGINS = ["https://ok.mx; script-src *", "https://www.mi-agencia.mx"]
    csp = _csp(client.get("/chat/kvky/"))
    assert csp["frame-ancestors"] == ["'self'", "https://www.mi-agencia.mx"]
    assert csp["script-src"] == ["'self'"]


def test_it_shows_a_close_button_instead_of_the_home_link_when_embedded(client, kvky):
    html = client.get("/chat/kvky/?embed=1").content.decode()
    assert 'id="webchat-close"' in html
    assert 'class="chat__home"' not in html


def test_it_refuses_a_post_to_the_page(client, kvky):
    assert client.post("/chat/kvky/").status_code == 405


@pytest.mark.parametrize("name", ["chat.js", "chat.css", "widget.js", "car.svg"])
def test_it_serves_its_static_files(client, name):
    assert client.get(f"/static/webchat/{name}").status_code == 200


def test_it_links_the_home_page_to_each_assistants_chat(client, kvky, blinky):
    html = client.get("/").content.decode()
    assert '<a class="chat-link" href="/chat/kvky/">Chatear con KVKy</a>' in html
    assert '<a class="chat-link" href="/chat/blinky/">Chatear con Blinky</a>' in html
