"""Twilio delivering the same message several times at once: the database's unique MessageSid decides.

The site runs under gunicorn (two processes, four threads each) on a file SQLite database, and the
deliveries really do arrive together: the in-process test client could not make them race.
"""

import sqlite3
import threading
from pathlib import Path

import pytest
import requests

from conversations.models import Message
from conversations.tests.channels.conftest import twiml_messages
from conversations.tests.channels.servers import copy_database, free_port, running_site
from conversations.tests.channels.twilio_fakes import sign, webhook_params

pytestmark = pytest.mark.slow

DELIVERIES = 8


def _post_at_once(url: str, params: dict[str, str], times: int) -> list[requests.Response]:
    barrier = threading.Barrier(times)
    responses: list[requests.Response] = []
    headers = {"X-Twilio-Signature": sign(url, params)}

    def deliver() -> None:
        barrier.wait()
        responses.append(requests.post(url, data=params, headers=headers, timeout=60))

    threads = [threading.Thread(target=deliver) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def _rows(database: Path, role: str) -> int:
    with sqlite3.connect(database) as connection:
        query = f"SELECT COUNT(*) FROM {Message._meta.db_table} WHERE role = ?"
        return connection.execute(query, [role]).fetchone()[0]


@pytest.fixture(scope="module")
def simultaneous_deliveries(tmp_path_factory, site_database_template):
    """The same signed webhook, delivered DELIVERIES times at the same moment to a real server."""
    workdir = tmp_path_factory.mktemp("concurrency")
    database = copy_database(site_database_template, workdir / "site.sqlite3")
    port = free_port()
    with running_site(database, port, logs=workdir) as web:
        responses = _post_at_once(f"http://127.0.0.1:{port}/chatbot/whatsapp", webhook_params("hola"), DELIVERIES)
        web.assert_running()
    return responses, database, web


def test_it_answers_every_delivery_without_an_error(simultaneous_deliveries):
    responses, _, web = simultaneous_deliveries
    assert [response.status_code for response in responses] == [200] * DELIVERIES, web.output()


def test_it_replies_to_only_one_of_simultaneous_deliveries(simultaneous_deliveries):
    responses, _, _ = simultaneous_deliveries
    assert sum(1 for response in responses if twiml_messages(response)) == 1


def test_it_stores_simultaneous_deliveries_once(simultaneous_deliveries):
    _, database, _ = simultaneous_deliveries
    assert (_rows(database, "user"), _rows(database, "bot")) == (1, 1)
