"""Two "lo quiero" for the same car at the same moment, under gunicorn on a file SQLite database: one lead.

Both turns read the conversation before either writes, so both decide to record a lead; the database's
one-lead-per-car constraint lets one insert win, and the other turn answers with the winner's folio.
"""

import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from conversations.tests.channels.conftest import twiml_messages
from conversations.tests.channels.servers import ROOT, copy_database, free_port, running_site, site_env
from conversations.tests.channels.twilio_fakes import sign, webhook_params
from leads.models import Lead

pytestmark = pytest.mark.slow

ADD_ONIX = """
from catalog.tests.factories import VehicleFactory
VehicleFactory(stock_id="1001", make="Chevrolet", model="Onix", year=2021, price=226999)
"""
FOLIO = re.compile(r"\bKVK-[A-Z0-9]{4}-[A-Z0-9]{4}\b")


def _post(url: str, params: dict[str, str]) -> requests.Response:
    return requests.post(url, data=params, headers={"X-Twilio-Signature": sign(url, params)}, timeout=60)


def _post_together(url: str, messages: list[dict[str, str]]) -> list[requests.Response]:
    barrier = threading.Barrier(len(messages))
    responses: list[requests.Response] = []

    def deliver(params: dict[str, str]) -> None:
        barrier.wait()
        responses.append(_post(url, params))

    threads = [threading.Thread(target=deliver, args=(params,)) for params in messages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pytest.fixture(scope="module")
def simultaneous_lo_quiero(tmp_path_factory, site_database_template):
    workdir = tmp_path_factory.mktemp("lead-race")
    database = copy_database(site_database_template, workdir / "site.sqlite3")
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", ADD_ONIX],
        cwd=ROOT, env=site_env(database), check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    port = free_port()
    url = f"http://127.0.0.1:{port}/chatbot/whatsapp"
    with running_site(database, port, logs=workdir) as web:
        assert _post(url, webhook_params("¿tienen onix?")).status_code == 200, web.output()
        responses = _post_together(url, [webhook_params("lo quiero"), webhook_params("lo quiero")])
        web.assert_running()
    return responses, database


def _leads(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {Lead._meta.db_table}").fetchone()[0]


def test_it_records_one_lead_for_two_simultaneous_lo_quiero(simultaneous_lo_quiero):
    responses, database = simultaneous_lo_quiero
    assert [response.status_code for response in responses] == [200, 200]
    assert _leads(database) == 1


def test_it_quotes_the_same_folio_in_both_replies(simultaneous_lo_quiero):
    responses, _ = simultaneous_lo_quiero
    folios = {folio for response in responses for folio in FOLIO.findall(" ".join(twiml_messages(response)))}
    assert len(folios) == 1
