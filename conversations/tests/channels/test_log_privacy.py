"""Phone numbers never reach the logs unmasked: everything logged during a turn, SQL included, goes
through the project's JSON formatter, and the customer's number appears only masked."""

import io
import logging
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conversations.models import Channel
from conversations.services import handle_turn
from conversations.tests.channels.twilio_fakes import CUSTOMER, webhook_params
from kvky_site.logging import JsonFormatter, RequestIdFilter, mask_phone, mask_phones


@pytest.fixture
def log_output(db: None) -> Iterator[io.StringIO]:
    """Every record at every level, formatted as production formats it (settings.LOGGING's json)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    # The SQL, with the sender as a parameter, is logged at DEBUG while queries are captured.
    with CaptureQueriesContext(connection):
        yield stream
    root.removeHandler(handler)
    root.setLevel(previous_level)


def test_it_masks_the_customers_phone_in_everything_logged_during_a_turn(log_output, kvky):
    handle_turn(assistant=kvky, sender=CUSTOMER, text=f"hola, mi número es {CUSTOMER}", channel=Channel.API)

    logged = log_output.getvalue()
    assert mask_phone(CUSTOMER) in logged  # the number was logged (in the SQL), masked
    assert CUSTOMER.removeprefix("+") not in logged


def test_it_masks_the_customers_phone_in_everything_logged_during_a_webhook_call(log_output, post_signed, kvky):
    answer = post_signed(webhook_params(f"mi número es {CUSTOMER}"))

    logged = log_output.getvalue()
    assert answer.status_code == 200
    assert mask_phone(CUSTOMER) in logged
    assert CUSTOMER.removeprefix("+") not in logged


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("+52 55 1234 9876", "+52551****9876"),
        ("(55) 1234 9878", "55123****9878"),
        ("52-55-1234-9876", "52551****9876"),
        ("521 55 1234 9876", "52155****9876"),
        ("+52 1 55 1234 9876", "+52155****9876"),
        ("55.1234.9876", "55123****9876"),
        ("55 12 34 98 76", "55123****9876"),
        ("+1 (415) 523-8886", "+14155****8886"),
    ],
)
def test_it_masks_a_phone_in_every_format_the_api_accepts(written, masked):
    assert mask_phones(f"de {written}: hola") == f"de {masked}: hola"


def test_it_masks_the_phone_but_not_the_years_prices_folios_or_stock_ids_beside_it():
    text = "Onix 2021 2022 2023 de $226,999 o 226 999 pesos (stock 311726, folio KVK-7Q2M-9XHF) al (55) 1234 9878"

    assert mask_phones(text) == (
        "Onix 2021 2022 2023 de $226,999 o 226 999 pesos (stock 311726, folio KVK-7Q2M-9XHF) al 55123****9878"
    )


def test_it_leaves_log_timestamps_alone():
    assert mask_phones("2026-12-01 20:35:27,123 INFO listo") == "2026-12-01 20:35:27,123 INFO listo"


def test_it_masks_formatted_phones_in_messages_and_extra_fields_as_production_logs_them(log_output):
    logging.getLogger("kvky.test").warning("respuesta a %s", "+52 55 1234 9876", extra={"sender": "(55) 1234 9878"})

    logged = log_output.getvalue()
    assert ("+52551****9876" in logged, "55123****9878" in logged) == (True, True)
    assert "1234 98" not in logged
