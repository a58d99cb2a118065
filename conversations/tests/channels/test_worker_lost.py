"""A Celery worker process killed mid-task (as the OOM killer would): the task is put back on the queue
and runs again (acks_late + reject_on_worker_lost), and the customer still gets exactly one reply.

The pool process is killed while Twilio's stand-in holds its answer to the first send, i.e. after
Twilio has the message: the task's second run must not send it again.
"""

import os
import re
import signal
import time
from pathlib import Path

import pytest
import requests

from conversations.tests.channels.servers import (
    SETTLE,
    WORKER_TIMEOUT,
    Server,
    celery_worker_command,
    free_port,
    running,
    running_site,
    site_env,
    twilio_stand_in,
)
from conversations.tests.channels.twilio_fakes import sign, webhook_params

pytestmark = pytest.mark.integration

DELIVERY_RECEIVED = re.compile(r"Task conversations\.tasks\.deliver_message\[[\w-]+\] received")


def pool_processes(worker: Server) -> list[int]:
    pid = worker.process.pid
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def wait_for_log(server: Server, pattern: re.Pattern[str], count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(pattern.findall(server.output())) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def test_it_sends_one_reply_when_the_worker_dies_in_the_middle_of_sending_it(redis_url, site_database, tmp_path):
    web_port = free_port()
    public_url = f"http://127.0.0.1:{web_port}"
    with twilio_stand_in(first_answer_delay=8) as twilio:
        async_settings = {
            "REPLY_MODE": "async",
            "CELERY_BROKER_URL": f"{redis_url}/0",
            "REDIS_URL": f"{redis_url}/1",
            "TWILIO_API_BASE_URL": twilio.base_url,
            "TWILIO_HTTP_TIMEOUT": "30",
            "PUBLIC_BASE_URL": public_url,
        }
        command = [("INFO" if part == "WARNING" else part) for part in celery_worker_command()]
        with (
            running("celery", command, env=site_env(site_database, **async_settings), logs=tmp_path) as worker,
            running_site(site_database, web_port, logs=tmp_path, **async_settings),
        ):
            params = webhook_params("hola")
            url = f"{public_url}/chatbot/whatsapp"
            requests.post(url, data=params, headers={"X-Twilio-Signature": sign(url, params)}, timeout=60)
            twilio.wait_for_messages(1, timeout=WORKER_TIMEOUT)
            for pid in pool_processes(worker):  # the one sending is among them, waiting on Twilio
                os.kill(pid, signal.SIGKILL)
            wait_for_log(worker, DELIVERY_RECEIVED, 2, timeout=WORKER_TIMEOUT)
            time.sleep(SETTLE)
            logs = worker.output()

    assert "WorkerLostError" in logs, logs
    assert len(DELIVERY_RECEIVED.findall(logs)) == 2, logs  # the task ran again
    assert len(twilio.messages) == 1, logs
