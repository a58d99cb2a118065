"""Real processes for the tests that need them: the site under gunicorn, a Celery worker, redis-server,
and a loopback stand-in for Twilio's REST API. Every process gets its own free port and temp dir and
shares one file SQLite database with the others (the test database of pytest-django lives in memory).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from conversations.tests.channels.twilio_fakes import ACCOUNT_SID, AUTH_TOKEN, SANDBOX_NUMBER

ROOT = Path(__file__).resolve().parents[3]
# The site and the worker run from this venv's bin/: the test tools' own by default; the production-install
# job (make test-production) points KVKY_SERVER_BIN at a venv built from requirements.txt alone.
BIN = Path(os.environ.get("KVKY_SERVER_BIN") or Path(sys.executable).parent)
WORKER_TIMEOUT = 90  # seconds for a Celery worker to boot, take the task and send (slow CI machines)
SETTLE = 3  # seconds more, in which a second (duplicate) message would show up
# Settings the subprocesses must not inherit from the developer's shell: the test sets them itself.
_SCRUBBED_PREFIXES = ("TWILIO_", "CELERY_", "GUNICORN_", "PROMETHEUS_", "WHATSAPP_")
_SCRUBBED = {"DATABASE_URL", "REDIS_URL", "REPLY_MODE", "PUBLIC_BASE_URL", "PORT", "SECRET_KEY_FILE"}
SETUP_DATABASE = f"""
from django.core.management import call_command
from conversations.tests.factories import AssistantFactory, ChannelNumberFactory
call_command("migrate", verbosity=0)
ChannelNumberFactory(assistant=AssistantFactory(), number="{SANDBOX_NUMBER}")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_env(database: Path, **settings: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _SCRUBBED and not name.startswith(_SCRUBBED_PREFIXES)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kvky_site.settings",
        DATABASE_URL=f"sqlite:///{database}",
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        LOG_FORMAT="text",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(settings)
    return env


def prepare_database(database: Path) -> None:
    """A migrated file database with the KVKy assistant answering the sandbox number."""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP_DATABASE],
        cwd=ROOT,
        env=site_env(database),
        check=True,
        capture_output=True,
        timeout=120,
    )


def copy_database(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    def assert_running(self) -> None:
        assert self.process.poll() is None, f"{self.name} exited:\n{self.output()}"


@contextmanager
def running(
    name: str, command: list[str], *, env: dict[str, str], logs: Path, stop_signal: int = signal.SIGTERM
) -> Iterator[Server]:
    """Start a process and stop it (it alone) when the test is done."""
    log = logs / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    server = Server(name, process, log)
    try:
        yield server
    finally:
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_for_port(server: Server, port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server.assert_running()
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"{server.name} did not listen on {port} within {timeout} s:\n{server.output()}")


@contextmanager
def running_site(database: Path, port: int, *, logs: Path, **settings: str) -> Iterator[Server]:
    """The site as production runs it: gunicorn with the project's gunicorn.conf.py, listening on `port`."""
    env = site_env(
        database,
        GUNICORN_BIND_HOST="127.0.0.1",
        PORT=str(port),
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="4",
        **settings,
    )
    command = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
    # SIGINT: gunicorn's quick shutdown; SIGTERM would wait out keep-alive connections.
    with running("gunicorn", command, env=env, logs=logs, stop_signal=signal.SIGINT) as web:
        wait_for_port(web, port)
        yield web


def redis_command(port: int, directory: Path) -> list[str]:
    return [
        "redis-server",
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--dir", str(directory),
        "--save", "",
        "--appendonly", "no",
    ]  # fmt: skip


def celery_worker_command() -> list[str]:
    return [
        str(BIN / "celery"), "-A", "kvky_site", "worker",
        "--concurrency", "2", "--loglevel", "WARNING",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h",
    ]  # fmt: skip


@dataclass
class TwilioStandIn:
    """Twilio's REST API on a loopback port: records each message created and answers 201 like Twilio."""

    port: int
    messages: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_for_messages(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)


@contextmanager
def twilio_stand_in(*, first_answer_delay: float = 0.0) -> Iterator[TwilioStandIn]:
    """`first_answer_delay`: seconds the first message's answer waits (it is recorded at once), e.g. to kill
    the sender mid-request."""
    stand_in = TwilioStandIn(port=free_port())
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
            if not self.path.endswith("/Messages.json"):
                self._answer(404, {"code": 20404, "message": "Not Found", "status": 404})
                return
            with lock:
                stand_in.messages.append(form)
                stand_in.authorizations.append(self.headers.get("Authorization", ""))
                sid = f"SM{len(stand_in.messages):032x}"
                delay = first_answer_delay if len(stand_in.messages) == 1 else 0.0
            time.sleep(delay)
            self._answer(201, {"sid": sid, "status": "queued", "to": form.get("To"), "body": form.get("Body")})

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", stand_in.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()
