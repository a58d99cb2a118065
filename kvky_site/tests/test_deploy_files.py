"""The Kubernetes manifests and docker-compose.yml say what production needs (their schemas are checked by
`make lint-deploy` with kubernetes-validate --strict; here: that the pieces fit together)."""

import ipaddress
import runpy
from pathlib import Path

import pytest
import yaml

from kvky_site.tests.conftest import REPO

K8S = REPO / "k8s"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


DOCUMENTS = [load(path) for path in sorted(K8S.glob("*.yaml"))]
MANIFESTS = {document["kind"]: document for document in DOCUMENTS}  # one of each kind but Deployment
WEB = load(K8S / "20-web-deployment.yaml")
WORKER = load(K8S / "21-worker-deployment.yaml")
COMPOSE = load(REPO / "docker-compose.yml")


def pod_spec(document: dict) -> dict:
    return document["spec"]["template"]["spec"]


def container(document: dict) -> dict:
    [only] = pod_spec(document)["containers"]
    return only


def test_it_ships_every_kind_production_needs():
    expected = {
        "Namespace", "ConfigMap", "Deployment", "Job", "Service", "Ingress", "HorizontalPodAutoscaler",
        "PodDisruptionBudget", "CronJob",
    }  # fmt: skip
    assert expected <= MANIFESTS.keys()
    assert load(K8S / "secret-template" / "secret.yaml")["kind"] == "Secret"


def test_it_keeps_the_secret_template_out_of_kubectl_apply_f_k8s():
    assert all(load(path)["kind"] != "Secret" for path in K8S.glob("*.yaml"))


def test_it_probes_readiness_and_liveness_of_the_web_pods():
    web = container(WEB)
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"


def test_it_runs_gunicorn_in_the_web_pods_and_celery_in_the_worker_pods():
    assert container(WEB)["command"][0] == "gunicorn"
    assert "celery -A kvky_site worker" in " ".join(container(WORKER)["command"])


def test_it_migrates_in_a_job():
    assert container(MANIFESTS["Job"])["command"] == ["python", "manage.py", "migrate", "--noinput"]


@pytest.mark.parametrize("name", ["20-web-deployment", "21-worker-deployment", "30-migrate-job"])
def test_it_runs_every_pod_as_non_root_on_a_read_only_filesystem(name):
    document = load(K8S / f"{name}.yaml")
    assert pod_spec(document)["securityContext"]["runAsNonRoot"] is True
    security = container(document)["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("name", ["20-web-deployment", "21-worker-deployment"])
def test_it_gives_the_pods_writable_scratch_space_for_tmp_and_the_metrics(name):
    document = load(K8S / f"{name}.yaml")
    volumes = {volume["name"]: volume for volume in pod_spec(document)["volumes"]}
    mounts = {mount["mountPath"]: mount["name"] for mount in container(document)["volumeMounts"]}
    config = MANIFESTS["ConfigMap"]["data"]
    assert "emptyDir" in volumes[mounts["/tmp"]]
    assert "emptyDir" in volumes[mounts[config["PROMETHEUS_MULTIPROC_DIR"]]]


@pytest.mark.parametrize("name", ["20-web-deployment", "21-worker-deployment", "30-migrate-job"])
def test_it_sets_resource_requests_and_memory_limits(name):
    resources = container(load(K8S / f"{name}.yaml"))["resources"]
    assert {"cpu", "memory"} <= resources["requests"].keys()
    assert "memory" in resources["limits"]


def test_it_routes_the_service_to_the_web_pods():
    labels = WEB["spec"]["template"]["metadata"]["labels"]
    assert MANIFESTS["Service"]["spec"]["selector"].items() <= labels.items()
    assert MANIFESTS["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_it_routes_the_ingress_to_the_service():
    [rule] = MANIFESTS["Ingress"]["spec"]["rules"]
    [path] = rule["http"]["paths"]
    assert path["backend"]["service"]["name"] == MANIFESTS["Service"]["metadata"]["name"]
    assert rule["host"] in MANIFESTS["ConfigMap"]["data"]["ALLOWED_HOSTS"].split(",")


def test_it_autoscales_the_web_deployment():
    target = MANIFESTS["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", WEB["metadata"]["name"])


def test_it_puts_everything_in_one_namespace():
    namespace = MANIFESTS["Namespace"]["metadata"]["name"]
    namespaced = [document for document in DOCUMENTS if document["kind"] != "Namespace"]
    assert {document["metadata"]["namespace"] for document in namespaced} == {namespace}


def test_it_composes_web_worker_beat_postgresql_and_redis():
    assert set(COMPOSE["services"]) == {"web", "worker", "beat", "postgres", "redis"}


def test_it_points_the_composed_web_and_worker_at_the_composed_database_and_redis():
    for name in ("web", "worker"):
        environment = COMPOSE["services"][name]["environment"]
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379")
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379")


def test_it_starts_the_composed_worker_with_celery():
    assert COMPOSE["services"]["worker"]["command"][:4] == ["celery", "-A", "kvky_site", "worker"]


def test_it_answers_what_a_failure_left_unanswered_every_minute_in_a_cronjob():
    cronjob = MANIFESTS["CronJob"]
    job_container = _sweep_containers()["answer-unanswered"]
    assert (cronjob["spec"]["schedule"], cronjob["spec"]["concurrencyPolicy"]) == ("* * * * *", "Forbid")
    assert job_container["command"] == ["python", "manage.py", "answer_unanswered"]
    assert job_container["securityContext"]["readOnlyRootFilesystem"] is True


def test_it_offers_again_the_cars_whose_hold_is_over_in_the_same_cronjob():
    job_container = _sweep_containers()["release-expired-holds"]
    assert job_container["command"] == ["python", "manage.py", "release_expired_holds"]
    assert job_container["securityContext"]["readOnlyRootFilesystem"] is True


def _sweep_containers() -> dict[str, dict]:
    return {item["name"]: item for item in pod_spec(MANIFESTS["CronJob"]["spec"]["jobTemplate"])["containers"]}


def test_it_runs_celery_beat_beside_the_composed_worker():
    assert COMPOSE["services"]["beat"]["command"][:4] == ["celery", "-A", "kvky_site", "beat"]


def gunicorn_settings(monkeypatch: pytest.MonkeyPatch, trusted_proxies: str | None) -> dict:
    """gunicorn.conf.py as gunicorn reads it, under the given TRUSTED_PROXIES environment."""
    if trusted_proxies is None:
        monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("TRUSTED_PROXIES", trusted_proxies)
    return runpy.run_path(str(REPO / "gunicorn.conf.py"))


def test_it_lets_gunicorn_believe_forwarded_headers_only_from_the_trusted_proxies(monkeypatch):
    settings = gunicorn_settings(monkeypatch, "10.0.0.0/8,fd00::/8")
    assert settings["forwarded_allow_ips"] == "10.0.0.0/8,fd00::/8"


def test_it_lets_gunicorn_believe_only_loopback_without_trusted_proxies(monkeypatch):
    assert gunicorn_settings(monkeypatch, None)["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_it_never_lets_gunicorn_believe_everyone(monkeypatch):
    settings = gunicorn_settings(monkeypatch, "*,no-es-una-red,10.42.0.1/16")
    assert settings["forwarded_allow_ips"] == "10.42.0.0/16"


def test_it_sets_the_trusted_proxies_of_the_web_pods():
    entries = MANIFESTS["ConfigMap"]["data"]["TRUSTED_PROXIES"].split(",")
    assert entries and all(ipaddress.ip_network(entry.strip()) for entry in entries)
    assert {"configMapRef": {"name": MANIFESTS["ConfigMap"]["metadata"]["name"]}} in container(WEB)["envFrom"]
