"""The database unavailable: answer 503 with Retry-After and a JSON error instead of a 500.

A client (or Twilio, for the WhatsApp webhook) can then retry; nothing it sent was half-processed
into a reply. The REST API's exception handler uses the same response (conversations.api.errors).
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
UNAVAILABLE_CODE = "database_unavailable"
UNAVAILABLE_DETAIL = "El servicio no está disponible por un momento. Intenta de nuevo en unos segundos."


def database_unavailable_body() -> dict[str, str]:
    return {"error": UNAVAILABLE_CODE, "detail": UNAVAILABLE_DETAIL}


def database_unavailable_headers() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS)}


class DatabaseUnavailableMiddleware:
    """Turn a database outage raised by any view into a 503 the caller may retry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error("Database unavailable while serving %s: %s", request.path, exception)
        return JsonResponse(database_unavailable_body(), status=503, headers=database_unavailable_headers())
