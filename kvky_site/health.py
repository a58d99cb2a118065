"""Probes for the orchestrator: `/healthz` (the process answers) and `/readyz` (it can serve: database,
and Redis when configured). Cheap, unauthenticated, and free of anything a customer could learn from."""

import logging
from collections.abc import Callable
from functools import cache

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from kvky_site import metrics

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 2


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("readiness: database unavailable", exc_info=True)
        return False


@cache
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_timeout=PROBE_TIMEOUT_SECONDS, socket_connect_timeout=PROBE_TIMEOUT_SECONDS
    )


def _redis_ok() -> bool:
    try:
        return bool(_redis_client(settings.REDIS_URL).ping())
    except Exception:
        logger.warning("readiness: redis unavailable", exc_info=True)
        return False


def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": "ok" if _database_ok() else "error"}
    if settings.REDIS_URL:
        checks["redis"] = "ok" if _redis_ok() else "error"
    ready = all(outcome == "ok" for outcome in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


OPS_ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
    "/metrics": metrics.metrics,
}


class OpsEndpointsMiddleware:
    """Answer the probes and the metrics scrape before host validation and the HTTPS redirect.

    The kubelet and Prometheus call each pod by its IP over plain HTTP: the Host header is that IP
    (never in ALLOWED_HOSTS) and there is no X-Forwarded-Proto, so behind SecurityMiddleware and
    CommonMiddleware they would get 400 or 301 instead of an answer. None of these views builds a URL
    from the Host header, which is what host validation protects.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = OPS_ENDPOINTS.get(request.path_info)
        if view is None:
            return self.get_response(request)
        request.metrics_route = request.path_info.lstrip("/")
        return view(request)
