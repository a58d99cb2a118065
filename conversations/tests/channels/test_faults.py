"""Faults, on the real processes: the database unavailable, Redis (broker and cache) down in async mode.

Nothing of ours is faked: the database is a SQLite path whose directory does not exist (SQLite cannot
open it, as when a volume is gone), and Redis is a URL on a port nobody listens on.
"""

import shutil
from pathlib import Path

import pytest
import requests

from conversations.tests.channels.conftest import twiml_messages
from conversations.tests.channels.servers import free_port, running_site, twilio_stand_in
from conversations.tests.channels.twilio_fakes import CUSTOMER, sign, webhook_params

pytestmark = pytest.mark.integration

TWILIO_TIMEOUT = 30  # seconds for the in-process answer to reach the stand-in


def post_webhook(public_url: str, params: dict[str, str]) -> requests.Response:
    url = f"{public_url}/chatbot/whatsapp"
    return requests.post(url, data=params, headers={"X-Twilio-Signature": sign(url, params)}, timeout=60)


@pytest.fixture
def missing_database(tmp_path: Path) -> Path:
    """A database path in a directory that does not exist (yet)."""
    return tmp_path / "volume" / "site.sqlite3"


def test_it_answers_the_api_with_503_and_retry_after_when_the_database_is_unavailable(missing_database, tmp_path):
    port = free_port()
    with running_site(missing_database, port, logs=tmp_path) as web:
        answer = requests.post(
            f"http://127.0.0.1:{port}/api/v1/chat",
            json={"from": CUSTOMER, "message": "hola"},
            headers={"Authorization": "Api-Key 0123abcd.una-llave-cualquiera"},
            timeout=30,
        )
        logs = web.output()

    assert (answer.status_code, answer.headers.get("Retry-After")) == (503, "30"), logs
    assert answer.json()["error"] == "database_unavailable"
    assert answer.json()["detail"]


def test_it_lets_twilio_retry_a_webhook_the_database_could_not_take_and_answers_the_retry_once(
    missing_database, site_database, tmp_path
):
    port = free_port()
    public_url = f"http://127.0.0.1:{port}"
    params = webhook_params("hola")
    with running_site(missing_database, port, logs=tmp_path, PUBLIC_BASE_URL=public_url) as web:
        during_outage = post_webhook(public_url, params)
        missing_database.parent.mkdir()
        shutil.copyfile(site_database, missing_database)  # the volume is back
        retries = [post_webhook(public_url, params) for _ in range(2)]
        logs = web.output()

    assert (during_outage.status_code, during_outage.headers.get("Retry-After")) == (503, "30"), logs
    assert [answer.status_code for answer in retries] == [200, 200], logs
    first, second = (twiml_messages(answer) for answer in retries)
    assert len(first) == 1 and first[0], logs
    assert second == []


def test_it_answers_in_process_when_redis_is_down_in_async_mode(site_database, tmp_path):
    port = free_port()
    public_url = f"http://127.0.0.1:{port}"
    nobody_listens = f"redis://127.0.0.1:{free_port()}"
    with twilio_stand_in() as twilio:
        async_settings = {
            "REPLY_MODE": "async",
            "CELERY_BROKER_URL": f"{nobody_listens}/0",
            "REDIS_URL": f"{nobody_listens}/1",
            "TWILIO_API_BASE_URL": twilio.base_url,
            "PUBLIC_BASE_URL": public_url,
        }
        with running_site(site_database, port, logs=tmp_path, **async_settings) as web:
            answer = post_webhook(public_url, webhook_params("hola", ProfileName="Mariana"))
            twilio.wait_for_messages(1, timeout=TWILIO_TIMEOUT)
            logs = web.output()

    assert (answer.status_code, twiml_messages(answer)) == (200, []), logs
    assert len(twilio.messages) == 1, logs
    assert "Mariana" in twilio.messages[0]["Body"]
