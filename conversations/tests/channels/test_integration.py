"""Async mode end to end, with nothing faked but Twilio: redis-server as the broker, a real Celery worker,
the site under gunicorn, and a loopback stand-in for Twilio's REST API (TWILIO_API_BASE_URL).
"""

import base64
import time

import pytest
import requests

from conversations.tests.channels.conftest import twiml_messages
from conversations.tests.channels.servers import (
    SETTLE,
    WORKER_TIMEOUT,
    celery_worker_command,
    free_port,
    running,
    running_site,
    site_env,
    twilio_stand_in,
)
from conversations.tests.channels.twilio_fakes import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CUSTOMER,
    SANDBOX_NUMBER,
    sign,
    webhook_params,
)

pytestmark = pytest.mark.integration



def test_it_sends_one_reply_from_a_celery_worker_through_twilios_rest_api(redis_url, site_database, tmp_path):
    web_port = free_port()
    public_url = f"http://127.0.0.1:{web_port}"
    with twilio_stand_in() as twilio:
        async_settings = {
            "REPLY_MODE": "async",
            "CELERY_BROKER_URL": f"{redis_url}/0",
            "REDIS_URL": f"{redis_url}/1",
            "TWILIO_API_BASE_URL": twilio.base_url,
            "PUBLIC_BASE_URL": public_url,
        }
        worker_env = site_env(site_database, **async_settings)
        with (
            running("celery", celery_worker_command(), env=worker_env, logs=tmp_path) as worker,
            running_site(site_database, web_port, logs=tmp_path, **async_settings) as web,
        ):
            params = webhook_params("hola", ProfileName="Mariana")
            url = f"{public_url}/chatbot/whatsapp"
            headers = {"X-Twilio-Signature": sign(url, params)}
            # Twilio retries a webhook it thinks timed out: the same MessageSid, twice.
            answers = [requests.post(url, data=params, headers=headers, timeout=60) for _ in range(2)]
            twilio.wait_for_messages(1, timeout=WORKER_TIMEOUT)
            time.sleep(SETTLE)
            logs = f"worker:\n{worker.output()}\nweb:\n{web.output()}"

    assert [(answer.status_code, twiml_messages(answer)) for answer in answers] == [(200, []), (200, [])], logs
    assert len(twilio.messages) == 1, logs
    [sent] = twilio.messages
    assert (sent["From"], sent["To"]) == (f"whatsapp:{SANDBOX_NUMBER}", f"whatsapp:{CUSTOMER}")
    assert "Mariana" in sent["Body"]
    assert sent["StatusCallback"].startswith(f"{public_url}/chatbot/whatsapp/status?key=")
    assert twilio.authorizations == ["Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()]
