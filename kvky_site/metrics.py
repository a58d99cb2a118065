"""Prometheus metrics: their definitions, the request-latency middleware, and the protected `/metrics` view.

Other modules count with the objects defined here, e.g.
    LLM_LATENCY.observe(seconds); LLM_ERRORS.labels(reason="timeout").inc()
    TWILIO_SEND_FAILURES.labels(reason="http_429").inc()
A Celery worker (where Twilio sends fail) serves its own on WORKER_METRICS_PORT, in the worker pod only.
With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (prometheus-client then keeps the values
in files there, and `/metrics` adds up every worker's); gunicorn.conf.py cleans it up.
"""

import hmac
import ipaddress
import logging
import time
from collections.abc import Callable
from pathlib import Path

from celery.signals import worker_ready
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

from conversations.engine.result import TurnResult

if settings.PROMETHEUS_MULTIPROC_DIR:
    # prometheus-client opens its files there as soon as a metric is defined (below), in any process
    # that has the variable: gunicorn workers, Celery workers, `manage.py migrate` in the Job.
    Path(settings.PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)

REQUEST_LATENCY = Histogram(
    "kvky_http_request_duration_seconds",
    "Time to answer an HTTP request, by route.",
    ["method", "route", "status"],
)
TURNS = Counter("kvky_turns_total", "Customer turns answered, by intent.", ["assistant", "channel", "intent"])
FALLBACKS = Counter(
    "kvky_fallbacks_total",
    "Turns the assistant could not serve as asked (out of scope, unknown FAQ, LLM reply replaced by the rules).",
    ["assistant", "reason"],
)
TURN_LATENCY = Histogram("kvky_turn_duration_seconds", "Time to handle one turn, storage included.", ["assistant"])
LLM_LATENCY = Histogram(
    "kvky_llm_request_duration_seconds",
    "Time the language model took to answer.",
    buckets=(0.25, 0.5, 1, 2, 4, 8, 15, 30, 60),
)
LLM_ERRORS = Counter("kvky_llm_errors_total", "Language model calls that failed.", ["reason"])
LLM_BREAKER_OPENINGS = Counter(
    "kvky_llm_breaker_openings_total", "Times a process stopped calling the language model after repeated failures."
)
LLM_BREAKER_SKIPPED = Counter(
    "kvky_llm_breaker_skipped_total", "Language model calls skipped (the rules answered) while the breaker was open."
)
# Per process; with several workers "max" says whether any of them has it open.
LLM_BREAKER_OPEN = Gauge(
    "kvky_llm_breaker_open", "Endpoints whose breaker is open or probing in this process.", multiprocess_mode="livemax"
)
TWILIO_SEND_FAILURES = Counter("kvky_twilio_send_failures_total", "WhatsApp messages Twilio did not take.", ["reason"])
LEADS_CREATED = Counter("kvky_leads_created_total", "Leads created from a conversation.", ["assistant"])

UNMATCHED_ROUTE = "<unmatched>"
# Label values must come from a closed set: a client can send any method name it likes.
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")
# Intents that mean "I could not help with that": counted as fallbacks, by reason.
FALLBACK_INTENTS = {"out_of_scope": "out_of_scope"}

turn_logger = logging.getLogger("kvky.turns")


def fallback_reason(result: TurnResult) -> str | None:
    """Why this turn fell back, or None: out of scope, or a FAQ question no FAQ answers."""
    if result.intent in FALLBACK_INTENTS:
        return FALLBACK_INTENTS[result.intent]
    if result.intent == "faq" and not result.faq:
        return "faq_unknown"
    return None


def turn_observe(result: TurnResult, *, channel: str, sender: str, latency_seconds: float) -> None:
    """Log one answered turn (JSON, the sender masked by the formatter) and count it."""
    reason = fallback_reason(result)
    turn_logger.info(
        "turn",
        extra={
            "assistant": result.assistant,
            "conversation": result.conversation,
            "channel": channel,
            "sender": sender,
            "intent": result.intent,
            "latency_ms": round(latency_seconds * 1000, 2),
            "fallback": reason,
            "handoff": result.handoff,
            "lead": (result.lead or {}).get("folio"),
        },
    )
    TURNS.labels(assistant=result.assistant, channel=channel, intent=result.intent).inc()
    TURN_LATENCY.labels(assistant=result.assistant).observe(latency_seconds)
    if reason:
        FALLBACKS.labels(assistant=result.assistant, reason=reason).inc()
    if result.lead:
        LEADS_CREATED.labels(assistant=result.assistant).inc()


def route_of(request: HttpRequest) -> str:
    """The URL pattern, never the raw path: ids in paths would make one time series per id."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED_ROUTE
    return match.route or match.view_name or UNMATCHED_ROUTE


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in HTTP_METHODS else "other"
        route = getattr(request, "metrics_route", None) or route_of(request)
        REQUEST_LATENCY.labels(method=method, route=route, status=str(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response


def _bearer_token(request: HttpRequest) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _from_allowed_network(request: HttpRequest) -> bool:
    # Behind the ingress every public request arrives from a cluster address too; a proxied
    # request (one with X-Forwarded-For or the like) therefore never counts as coming from inside.
    if any(header in request.headers for header in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network) for network in settings.METRICS_ALLOWED_NETWORKS)


def metrics_registry() -> CollectorRegistry:
    if not settings.PROMETHEUS_MULTIPROC_DIR:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=settings.PROMETHEUS_MULTIPROC_DIR)
    return registry


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition, for a scraper holding METRICS_TOKEN or a direct caller from an allowed network."""
    token = _bearer_token(request)
    if token is not None:
        if not settings.METRICS_TOKEN or not hmac.compare_digest(token, settings.METRICS_TOKEN):
            return HttpResponseForbidden()
    elif not _from_allowed_network(request):
        return HttpResponseNotFound()
    return HttpResponse(generate_latest(metrics_registry()), content_type=CONTENT_TYPE_LATEST)


@worker_ready.connect
def worker_metrics_serve(**_signal_kwargs: object) -> tuple | None:
    """In a Celery worker, serve its metrics (every pool process's) on WORKER_METRICS_PORT; off when 0.

    The port is only opened inside the worker pod: no Service or Ingress leads to it."""
    if not settings.WORKER_METRICS_PORT:
        return None
    return start_http_server(settings.WORKER_METRICS_PORT, registry=metrics_registry())
