"""/metrics: the counters the product promises, and only for Prometheus, never for the public."""

import http.client

import pytest
from prometheus_client import REGISTRY

from catalog.tests.factories import VehicleFactory
from conversations.engine.result import TurnResult
from conversations.services import handle_turn
from conversations.tests.factories import AssistantFactory
from kvky_site.metrics import fallback_reason, worker_metrics_serve
from kvky_site.tests.conftest import free_port

pytestmark = pytest.mark.django_db

PUBLIC_ADDRESS = "203.0.113.7"
TOKEN = "s3cr3t-scrape-token"


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def fallbacks_of(assistant: str) -> list[float]:
    return [sample("kvky_fallbacks_total", assistant=assistant, reason=r) for r in ("out_of_scope", "faq_unknown")]


def say(assistant, text: str, sender: str = "+5215500000001"):
    return handle_turn(assistant=assistant, sender=sender, text=text, channel="api")


def test_it_hides_metrics_from_a_public_address(client):
    assert client.get("/metrics", REMOTE_ADDR=PUBLIC_ADDRESS).status_code == 404


def test_it_serves_metrics_to_loopback(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"kvky_turns_total" in response.content


def test_it_hides_metrics_from_loopback_when_the_request_came_through_a_proxy(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": PUBLIC_ADDRESS})
    assert response.status_code == 404


def test_it_serves_metrics_to_an_allowed_cluster_network(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.42.3.9").status_code == 200


def test_it_serves_metrics_to_the_bearer_of_the_token_from_anywhere(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", REMOTE_ADDR=PUBLIC_ADDRESS, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200


def test_it_refuses_a_wrong_token(client, settings):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", REMOTE_ADDR=PUBLIC_ADDRESS, headers={"Authorization": "Bearer guess"})
    assert response.status_code == 403


def test_it_refuses_any_token_when_none_is_configured(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR=PUBLIC_ADDRESS, headers={"Authorization": "Bearer "})
    assert response.status_code == 404
    response = client.get("/metrics", REMOTE_ADDR=PUBLIC_ADDRESS, headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403


def test_it_measures_request_latency_by_route(client):
    labels = {"method": "GET", "route": "healthz", "status": "200"}
    before = sample("kvky_http_request_duration_seconds_count", **labels)
    client.get("/healthz")
    assert sample("kvky_http_request_duration_seconds_count", **labels) == before + 1


def test_it_labels_request_latency_by_url_pattern_not_by_path(client):
    labels = {"method": "GET", "route": "<unmatched>", "status": "404"}
    before = sample("kvky_http_request_duration_seconds_count", **labels)
    client.get("/no-such-page/12345")
    assert sample("kvky_http_request_duration_seconds_count", **labels) == before + 1


def test_it_counts_turns_by_intent():
    kvky = AssistantFactory()
    labels = {"assistant": "kvky", "channel": "api", "intent": "greet"}
    before = sample("kvky_turns_total", **labels)
    say(kvky, "hola")
    assert sample("kvky_turns_total", **labels) == before + 1


def test_it_times_turns():
    kvky = AssistantFactory()
    before = sample("kvky_turn_duration_seconds_count", assistant="kvky")
    say(kvky, "hola")
    assert sample("kvky_turn_duration_seconds_count", assistant="kvky") == before + 1


def test_it_counts_an_out_of_scope_turn_as_a_fallback():
    kvky = AssistantFactory()
    before = sample("kvky_fallbacks_total", assistant="kvky", reason="out_of_scope")
    result = say(kvky, "¿quién ganó el partido de ayer?")
    assert result.intent == "out_of_scope"
    assert sample("kvky_fallbacks_total", assistant="kvky", reason="out_of_scope") == before + 1


def test_it_calls_a_faq_turn_without_an_answer_a_fallback():
    assert fallback_reason(TurnResult(reply="No tengo esa información.", intent="faq")) == "faq_unknown"


def test_it_does_not_call_an_answered_faq_a_fallback():
    assert fallback_reason(TurnResult(reply="Los días 15.", intent="faq", faq={"id": 3, "question": "¿Pago?"})) is None


def test_it_does_not_count_an_understood_turn_as_a_fallback():
    kvky = AssistantFactory()
    before = fallbacks_of("kvky")
    say(kvky, "hola")
    assert fallbacks_of("kvky") == before


def test_it_counts_leads_created():
    kvky = AssistantFactory()
    VehicleFactory(stock_id="1001", make="Chevrolet", model="Onix", year=2021)
    before = sample("kvky_leads_created_total", assistant="kvky")
    say(kvky, "¿tienen el onix?")
    result = say(kvky, "lo quiero")
    assert result.lead is not None
    assert sample("kvky_leads_created_total", assistant="kvky") == before + 1


def test_it_exposes_the_llm_and_twilio_counters_for_their_channels(client):
    content = client.get("/metrics").content.decode()
    for name in ("kvky_llm_request_duration_seconds", "kvky_llm_errors_total", "kvky_twilio_send_failures_total"):
        assert f"# TYPE {name.removesuffix('_total')}" in content


def test_it_serves_a_celery_workers_metrics_on_its_own_port(settings):
    settings.WORKER_METRICS_PORT = free_port()
    server, _thread = worker_metrics_serve()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", settings.WORKER_METRICS_PORT, timeout=5)
        connection.request("GET", "/metrics")
        assert b"kvky_twilio_send_failures_total" in connection.getresponse().read()
    finally:
        server.shutdown()
        server.server_close()


def test_it_serves_no_worker_metrics_when_no_port_is_set(settings):
    settings.WORKER_METRICS_PORT = 0
    assert worker_metrics_serve() is None


def test_it_labels_an_unknown_http_method_as_other(client):
    labels = {"method": "other", "route": "healthz", "status": "200"}
    before = sample("kvky_http_request_duration_seconds_count", **labels)
    client.generic("BREW", "/healthz")
    assert sample("kvky_http_request_duration_seconds_count", **labels) == before + 1
