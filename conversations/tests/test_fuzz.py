"""Fuzzing beside the API's schemathesis run (api/test_schema_fuzz.py): the web chat's endpoints with any body,
header and query, and every back-office page a superuser opens with any GET parameters, never answer 5xx."""

import contextlib
import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.tests.factories import VehicleFactory
from conversations.channels.webchat import SESSION_HEADER, session_new
from conversations.tests.backoffice.users import StaffUserFactory, logged_in
from conversations.tests.factories import AssistantFactory, ConversationFactory, MessageFactory
from leads.tests.factories import LeadFactory

EXAMPLES = 120
ADMIN_EXAMPLES = 300  # spread over ~30 pages
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))

# Text as clients really send it, plus what breaks encoders and databases: NUL, control characters, half a
# UTF-16 pair (JSON's "\ud800"), huge numbers, dates at the ends of the calendar.
NASTY = ["\x00", "\x1f", "\ud800", "\udfff", "😀", "²", "-1", "9" * 30, "1e309", "NaN", "9999-12-31", "0001-01-01"]
nasty_text = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from([*NASTY, "a", " ", "hola", "lo quiero"]), max_size=6).map("".join),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | nasty_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(nasty_text, children, max_size=3),
    max_leaves=8,
)


def _query(params: dict[str, str]) -> str:
    """A query string as any client could send it: even the bytes of half a UTF-16 pair, percent-encoded."""
    pairs = (
        (quote(key.encode("utf-8", "surrogatepass")), quote(value.encode("utf-8", "surrogatepass")))
        for key, value in params.items()
    )
    return "?" + "&".join(f"{key}={value}" for key, value in pairs)


def _json_dumps(value: Any) -> bytes:
    return json.dumps(value).encode()  # ensure_ascii: a lone surrogate travels as its \ud800 escape


messages = st.fixed_dictionaries({"message": nasty_text}).map(_json_dumps)
# Weighted towards well-formed JSON with a message in it: that is the body that reaches the engine.
chat_bodies = st.one_of(
    messages,
    messages,
    messages,
    st.fixed_dictionaries({"message": json_values}).map(_json_dumps),
    json_values.map(_json_dumps),
    st.binary(max_size=200),
    nasty_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
)
# Message ids as a client might mangle them: digits of other scripts ("٣", "²") are digits to str.isdigit().
after_values = nasty_text | st.text(alphabet="0123456789²³¹٣५", max_size=6)


@pytest.fixture
def relaxed_limits(settings) -> None:
    settings.WEBCHAT_RATE_LIMIT_PER_MINUTE = 100_000  # 429s would hide what the bodies do
    settings.WEBCHAT_IP_RATE_LIMIT_PER_MINUTE = 100_000


@pytest.mark.django_db
def test_it_answers_no_fuzzed_web_chat_request_with_a_server_error(client: Client, relaxed_limits: None):
    kvky = AssistantFactory()
    _, token = session_new(kvky)
    server_errors = []

    @FUZZ
    @given(
        method=st.sampled_from(["GET", "POST"]),
        body=chat_bodies,
        content_type=st.sampled_from(
            ["application/json", "application/json", "application/json; charset=utf-8", "text/plain"]
        ),
        valid_session=st.integers(0, 4).map(bool),  # mostly valid: an invalid one stops at 403
        junk_session=st.text(alphabet=st.characters(codec="latin-1"), max_size=40),
        after=after_values,
    )
    def call(method: str, body: bytes, content_type: str, valid_session: bool, junk_session: str, after: str) -> None:
        session = token if valid_session else junk_session
        url = "/chat/kvky/messages"
        if method == "GET":
            response = client.get(url + _query({"after": after}), headers={SESSION_HEADER: session})
        else:
            response = client.post(url, data=body, content_type=content_type, headers={SESSION_HEADER: session})
        if response.status_code >= 500:
            server_errors.append((method, body[:80], session[:20], after, response.status_code))
        assert response["Content-Type"].startswith("application/json")

    client.raise_request_exception = False
    call()
    assert server_errors == []


# --- The back office -------------------------------------------------------------------------------------------

GENERIC_PARAMS = ["q", "o", "p", "all", "e", "_to_field", "_popup", "_changelist_filters", "start", "end"]
HREF_QUERY = re.compile(r'href="\?([^"]*)"')
INPUT_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"')
EXTRA_PAGES = ["admin:conversations_faq_try", "admin:catalog_vehicle_export", "admin:leads_lead_export"]


def _admin_pages() -> list[str]:
    """The dashboard, the FAQ try page, exports, every model's changelist and add page, and one change page each."""
    pages = [reverse("backoffice-dashboard"), reverse("admin:index")]
    for name in EXTRA_PAGES:
        with contextlib.suppress(NoReverseMatch):
            pages.append(reverse(name))
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        pages += [reverse("admin:{}_{}_changelist".format(*info)), reverse("admin:{}_{}_add".format(*info))]
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
    return pages


def _offered_params(client: Client, page: str) -> list[str]:
    """The parameters a page's own links and forms use (status__exact, a price band, the dates, …)."""
    html = client.get(page).content.decode()
    names = set(GENERIC_PARAMS) | set(INPUT_NAME.findall(html))
    for query in HREF_QUERY.findall(html):
        names.update(part.split("=", 1)[0] for part in query.replace("&amp;", "&").split("&") if part)
    return sorted(names - {"csrfmiddlewaretoken"})


param_values = st.one_of(
    nasty_text,
    st.integers().map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    st.sampled_from(["", "0", "1", "True", "false", "None", "9999-12-01", "0001-01-01", "2026-02-30", "-", "1,2"]),
)


@pytest.fixture
def back_office_data() -> None:
    assistant = AssistantFactory()
    conversation = ConversationFactory(assistant=assistant)
    MessageFactory(conversation=conversation)
    vehicle = VehicleFactory(price=Decimal("226999"))
    LeadFactory(assistant=assistant, conversation=conversation, vehicle=vehicle)


@pytest.mark.django_db
def test_it_answers_no_admin_page_with_fuzzed_get_parameters_with_a_server_error(back_office_data: None):
    client = logged_in(StaffUserFactory(username="jefa", is_superuser=True))
    offered = {page: _offered_params(client, page) for page in _admin_pages()}
    server_errors = []

    @settings(FUZZ, max_examples=ADMIN_EXAMPLES)
    @given(data=st.data())
    def call(data: st.DataObject) -> None:
        page = data.draw(st.sampled_from(sorted(offered)))
        names = st.sampled_from(offered[page]) | nasty_text
        params = data.draw(st.dictionaries(names, param_values, min_size=1, max_size=4))
        response = client.get(page + _query(params))
        if response.status_code >= 500:
            server_errors.append((page, params, response.status_code))

    client.raise_request_exception = False
    call()
    assert server_errors == []


@pytest.mark.django_db
def test_it_shows_the_dashboard_with_a_range_at_the_end_of_the_calendar(back_office_data: None):
    client = logged_in(StaffUserFactory(username="jefa", is_superuser=True))
    response = client.get(reverse("backoffice-dashboard"), {"start": "9999-12-01", "end": "9999-12-31"})
    assert response.status_code == 200
    assert "Elige fechas entre" in response.content.decode()
