"""The Docker image, as far as this machine can build it without a Docker engine: the Dockerfile's own
collectstatic step runs on a copy of the build context (.dockerignore applied), then its CMD (gunicorn,
several workers) serves that copy with the production environment of the k8s ConfigMap."""

import fcntl
import http.client
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

import pytest

from kvky_site.tests.conftest import REPO, free_port, wait_for_port
from kvky_site.tests.test_deploy_check import production_env

pytestmark = pytest.mark.slow

HOST = "kvky.example.com"
HTTPS = {"Host": HOST, "X-Forwarded-Proto": "https"}
REQUESTS_FOR_METRICS = 12
MAX_REQUESTS_PER_WORKER = 5


@dataclass
class Stage:
    base: str
    env: dict[str, str] = field(default_factory=dict)
    runs: list[str] = field(default_factory=list)
    user: str = "root"
    cmd: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)


def parse_dockerfile(text: str) -> list[Stage]:
    stages: list[Stage] = []
    for line in re.sub(r"\\\n", " ", text).splitlines():
        instruction, _, rest = line.strip().partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            stages.append(Stage(base=rest.split()[0]))
        elif instruction == "ENV":
            stages[-1].env.update(item.split("=", 1) for item in shlex.split(rest))
        elif instruction == "RUN":
            stages[-1].runs.append(rest.strip())
        elif instruction == "USER":
            stages[-1].user = rest.strip()
        elif instruction == "CMD":
            stages[-1].cmd = json.loads(rest)
        elif instruction == "HEALTHCHECK":
            stages[-1].healthcheck = json.loads(rest.split(" CMD ", 1)[1])
    return stages


STAGES = parse_dockerfile((REPO / "Dockerfile").read_text(encoding="utf-8"))
BUILD, RUNTIME = STAGES[0], STAGES[-1]


def dockerignore_patterns() -> list[str]:
    lines = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip().removeprefix("**/") for line in lines if line.strip() and not line.startswith("#")]


def copy_build_context(destination: Path) -> None:
    patterns = dockerignore_patterns()

    def ignored(directory: str, names: list[str]) -> set[str]:
        relative = Path(directory).relative_to(REPO)
        return {
            name for name in names
            if any(fnmatch(name, pattern) or fnmatch(str(relative / name), pattern) for pattern in patterns)
        }  # fmt: skip

    shutil.copytree(REPO, destination, ignore=ignored)


def with_venv_path(env: dict[str, str]) -> dict[str, str]:
    """The image's PATH=/opt/venv/bin:$PATH, with this checkout's virtualenv standing in for /opt/venv."""
    path = f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}"
    return {**env, "PATH": path}


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    metrics_dir: Path
    metrics_token: str
    log: Path

    def get(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        connection.request("GET", path, headers=headers if headers is not None else HTTPS)
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response


def build_image(app: Path) -> None:
    """The Dockerfile's build stage, minus pip: copy the context, run its own collectstatic line."""
    copy_build_context(app)
    [collectstatic] = [run for run in BUILD.runs if "collectstatic" in run]
    env = with_venv_path(production_env(**{key: value for key, value in BUILD.env.items() if key != "PATH"}))
    del env["SECRET_KEY"]  # the Secret is mounted at run time: the build stage has none
    completed = subprocess.run(
        ["sh", "-c", collectstatic], cwd=app, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0, f"collectstatic failed:\n{completed.stderr[-3000:]}"


@pytest.fixture(scope="session")
def image(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """Built once per run: under xdist the workers share the build (their temp dirs have a common parent)."""
    if worker_id == "master":
        app = tmp_path_factory.mktemp("image") / "app"
        build_image(app)
        return app
    shared = tmp_path_factory.getbasetemp().parent / "kvky-image"
    shared.mkdir(exist_ok=True)
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        app = shared / "app"
        if not (shared / "built").exists():
            shutil.rmtree(app, ignore_errors=True)  # what a failed try on the other worker left
            build_image(app)
            (shared / "built").touch()
    return app


@pytest.fixture(scope="module")
def server(image: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("server")
    port = free_port()
    runtime_env = {key: value for key, value in RUNTIME.env.items() if key != "PATH"}
    env = production_env(**runtime_env)
    for service in ("REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(service)
    env.update(
        PORT=str(port),
        GUNICORN_BIND_HOST="127.0.0.1",
        GUNICORN_WORKERS="2",
        GUNICORN_MAX_REQUESTS=str(MAX_REQUESTS_PER_WORKER),
        GUNICORN_MAX_REQUESTS_JITTER="0",
        PROMETHEUS_MULTIPROC_DIR=str(workdir / "prometheus"),
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        HOME=str(workdir),
    )
    log = workdir / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(RUNTIME.cmd, cwd=image, env=with_venv_path(env), stdout=output, stderr=output)
    try:
        try:
            wait_for_port(port, timeout=60)
        except TimeoutError:
            pytest.fail(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
        yield Server(port, process, workdir / "prometheus", env["METRICS_TOKEN"], log)
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown: nothing here tests the graceful one
        process.wait(timeout=30)


def healthz_count(server: Server) -> float:
    response = server.get("/metrics", {"Authorization": f"Bearer {server.metrics_token}"})
    assert response.status == 200, server.log.read_text()
    pattern = r'kvky_http_request_duration_seconds_count\{method="GET",route="healthz",status="200"\} (\S+)'
    match = re.search(pattern, response.body.decode())
    return float(match.group(1)) if match else 0.0


def test_it_builds_on_python_slim_in_two_stages():
    assert len(STAGES) >= 2
    assert all(stage.base.startswith("python:3.12-slim") for stage in STAGES)


def test_it_runs_the_image_as_an_unprivileged_user():
    assert RUNTIME.user.split(":")[0] not in {"root", "0"}


def test_it_leaves_local_state_and_secrets_out_of_the_build_context():
    patterns = dockerignore_patterns()
    for path in (".venv", ".env", "db.sqlite3", ".git", "staticfiles"):
        assert any(fnmatch(path, pattern) for pattern in patterns), path


def test_it_serves_the_collected_static_files_under_hashed_names(server):
    page = server.get("/api/docs/").body.decode()
    [stylesheet] = re.findall(r'href="(/static/[^"]*swagger-ui\.[0-9a-f]{12}\.css)"', page)
    response = server.get(stylesheet)
    assert response.status == 200
    assert "immutable" in response.getheader("Cache-Control")


def test_it_sends_hsts_and_the_content_security_policy_over_https(server):
    response = server.get("/api/docs/")
    assert response.status == 200
    # Subdomains and the browsers' preload list only when the operator sets them (SECURE_HSTS_*).
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000"
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")


def test_it_redirects_plain_http_to_https(server):
    response = server.get("/api/docs/", {"Host": HOST})
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/api/docs/"


def test_it_refuses_an_unknown_host(server):
    assert server.get("/api/docs/", {"Host": "evil.example.net", "X-Forwarded-Proto": "https"}).status == 400


def test_it_answers_the_readiness_probe_addressed_to_the_pod_ip(server):
    response = server.get("/readyz", {"Host": f"10.42.0.17:{server.port}"})
    assert response.status == 200, response.body


def test_it_passes_the_images_own_healthcheck(server):
    env = with_venv_path({"PORT": str(server.port)})
    completed = subprocess.run(RUNTIME.healthcheck, env=env, capture_output=True, timeout=30, check=False)
    assert completed.returncode == 0, completed.stderr


def test_it_hides_metrics_from_requests_that_came_through_the_ingress(server):
    assert server.get("/metrics", {"Host": HOST, "X-Forwarded-For": "203.0.113.7"}).status == 404


def test_it_adds_up_metrics_across_gunicorn_workers(server):
    before = healthz_count(server)
    for _ in range(REQUESTS_FOR_METRICS):
        assert server.get("/healthz", {"Host": "10.42.0.17"}).status == 200
    assert healthz_count(server) == before + REQUESTS_FOR_METRICS
    # Workers retire after MAX_REQUESTS_PER_WORKER requests: the sum above spans several processes.
    pids = {path.stem.rsplit("_", 1)[-1] for path in server.metrics_dir.glob("histogram_*.db")}
    assert len(pids) > 2
