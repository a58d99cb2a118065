"""The content security policy: sent on every page, and every inline block we serve is one it allows."""

import base64
import hashlib
import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

INLINE_BLOCK = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
NONCE_ATTRIBUTE = re.compile(r"""\bnonce=["']([^"']+)["']""")


def policy_of(response) -> dict[str, list[str]]:
    directives = (part.strip().split() for part in response["Content-Security-Policy"].split(";"))
    return {name: values for name, *values in directives}


def csp_violations(response) -> list[str]:
    """What the page's own CSP header would block: inline <script>/<style> blocks without its nonce or a
    listed hash, and scripts or stylesheets from another origin."""
    policy = policy_of(response)
    html = response.content.decode()
    violations = [
        f"foreign {url}"
        for url in re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)["']""", html)
        if not url.startswith("/") or url.startswith("//")
    ]
    for tag, attributes, body in INLINE_BLOCK.findall(html):
        if tag.lower() == "script" and re.search(r"\bsrc=", attributes):
            continue
        allowed = policy.get(f"{tag.lower()}-src", policy["default-src"])
        nonce = NONCE_ATTRIBUTE.search(attributes)
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        if not ((nonce and f"'nonce-{nonce.group(1)}'" in allowed) or f"'sha256-{digest}'" in allowed):
            violations.append(f"inline <{tag}{attributes}>{body[:60]}")
    return violations


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.com", "x"))
    return client


def test_it_sends_the_policy_on_pages(client):
    policy = policy_of(client.get("/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_it_allows_scripts_only_from_our_own_origin_or_with_the_nonce(client):
    script_sources = policy_of(client.get("/"))["script-src"]
    assert "'unsafe-inline'" not in script_sources and "'unsafe-eval'" not in script_sources
    assert all(source == "'self'" or source.startswith("'nonce-") for source in script_sources)


def test_it_lets_the_home_page_run(client):
    response = client.get("/")
    assert response.status_code == 200
    assert csp_violations(response) == []


def test_it_lets_the_swagger_ui_page_run(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert csp_violations(response) == []


def test_it_serves_the_swagger_ui_scripts_from_our_own_static_files(client):
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources and all(source.startswith(("/static/", "/api/docs/")) for source in sources)
    initialiser = client.get(next(source for source in sources if source.startswith("/api/docs/")))
    assert initialiser["Content-Type"].startswith("application/javascript")


def test_it_pins_the_hash_of_the_swagger_ui_inline_style(client):
    html = client.get("/api/docs/").content.decode()
    [style] = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.SWAGGER_UI_INLINE_STYLE_HASH


def test_it_lets_the_admin_login_page_run(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert csp_violations(response) == []


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/conversations/conversation/", "/admin/catalog/vehicle/", "/admin/auth/user/add/"]
)
def test_it_lets_the_admin_pages_run(staff_client, path):
    response = staff_client.get(path)
    assert response.status_code == 200
    assert csp_violations(response) == []


def test_it_gives_each_response_a_fresh_nonce(client):
    first = policy_of(client.get("/admin/login/"))["style-src"]
    second = policy_of(client.get("/admin/login/"))["style-src"]
    assert [s for s in first if s.startswith("'nonce-")] != [s for s in second if s.startswith("'nonce-")]
