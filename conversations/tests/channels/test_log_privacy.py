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
from kvky_site.logging import JsonFormatter, RequestIdFilter, mask_phone


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
