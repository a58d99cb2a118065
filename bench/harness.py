"""What the HTTP benchmarks share: a throwaway database, a gunicorn server on loopback, percentiles, RSS.

The server runs with the project's gunicorn.conf.py (workers, threads, preload, timeouts) and the
bench-only WSGI module (bench/bare_wsgi.py), which adds the bare JSON view the ratios divide by.
"""

import io
import os
import runpy
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
BARE_PATH = "/bench/bare"
CHAT_PATH = "/api/v1/chat"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_or_throwaway_sqlite(workdir: Path) -> str:
    """DATABASE_URL when set (.ci/postgres.sh exports one), else a fresh SQLite file in workdir."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"


def prepare_database(database_url: str) -> str:
    """Migrate and seed (`seed_demo`) the database at database_url in this process; return a new raw API key."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kvky_site.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from conversations.api_keys import api_key_create

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=io.StringIO())
    _api_key, raw_key = api_key_create(name=f"bench-{os.getpid()}-{time.time_ns()}")
    connections.close_all()
    return raw_key


def user_message_count() -> int:
    from django.db import connections

    from conversations.models import Message

    count = Message.objects.filter(role="user").count()
    connections.close_all()
    return count


class GunicornServer:
    """gunicorn -c gunicorn.conf.py bench.bare_wsgi:application on a free loopback port; stderr to a log file."""

    def __init__(self, *, database_url: str, extra_env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.log_path = Path(tempfile.mkstemp(prefix="kvky-bench-gunicorn-", suffix=".log")[1])
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "GUNICORN_BIND_HOST": "127.0.0.1",
            "PORT": str(self.port),
            # Keep the same workers for the whole run: RSS after the run then shows any growth.
            "GUNICORN_MAX_REQUESTS": "0",
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
            "DJANGO_SETTINGS_MODULE": "bench.bare_settings",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen | None = None

    @property
    def config(self) -> dict[str, object]:
        """gunicorn.conf.py's settings as this server's environment makes them (workers, threads, …)."""
        saved = dict(os.environ)
        try:
            os.environ.update(self.env)
            return runpy.run_path(str(ROOT / "gunicorn.conf.py"))
        finally:
            os.environ.clear()
            os.environ.update(saved)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "GunicornServer":
        command = [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "bench.bare_wsgi:application"]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=1) as response:
                    if response.status == 200 and len(self.worker_pids()) >= 1:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {timeout} s:\n{self.log()}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def worker_rss_mb(self) -> list[float]:
        """VmRSS of each worker, in MB (shared pages inherited from the preloaded master included)."""
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
        return sizes

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def __exit__(self, *exc_info: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
