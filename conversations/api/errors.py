"""Every API error is JSON: {"error": "<code>", "detail": "<sentence in Spanish>"}."""

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from conversations.api.throttling import ApiKeyThrottled
from conversations.api_keys import AssistantForbidden
from conversations.selectors import AssistantNotFound, AssistantResolutionError
from kvky_site.database_errors import DATABASE_ERRORS, database_unavailable_body, database_unavailable_headers

logger = logging.getLogger(__name__)

BODY_FIELD = "non_field_errors"
INVALID_BODY_DETAIL = 'El cuerpo debe ser un objeto JSON, p. ej. {"from": "+5215512345678", "message": "hola"}.'
# DRF's validation codes, folded into the three an API client needs to tell apart.
VALIDATION_SUFFIXES = {
    "required": "required",
    "null": "required",
    "blank": "required",
    "max_length": "too_long",
    "too_long": "too_long",
}

_FIXED_BODIES: dict[type[exceptions.APIException], tuple[str, str]] = {
    exceptions.ParseError: ("invalid_json", "El cuerpo de la petición no es JSON válido."),
    exceptions.NotAuthenticated: (
        "not_authenticated",
        "Falta la llave de API: envía el encabezado «Authorization: Api-Key <llave>».",
    ),
    exceptions.PermissionDenied: ("permission_denied", "No tienes permiso para hacer esto."),
    exceptions.NotFound: ("not_found", "No encontramos lo que buscas."),
    exceptions.NotAcceptable: ("not_acceptable", "Esta API solo responde JSON."),
    exceptions.UnsupportedMediaType: (
        "unsupported_media_type",
        "Envía el cuerpo como JSON, con el encabezado «Content-Type: application/json».",
    ),
}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"
    default_detail = "El cuerpo de la petición es demasiado grande."


class ConversationNotFound(exceptions.NotFound):
    default_code = "conversation_not_found"
    default_detail = "No encontramos esa conversación entre las de tu llave."


def error_body(code: str, detail: str) -> dict[str, str]:
    return {"error": code, "detail": detail}


def json_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):  # over DATA_UPLOAD_MAX_MEMORY_SIZE: Django refuses to read it
        exc = RequestTooLarge()
    if isinstance(exc, AssistantForbidden):
        return Response(error_body(exc.code, exc.detail), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, AssistantResolutionError):
        code = status.HTTP_404_NOT_FOUND if isinstance(exc, AssistantNotFound) else status.HTTP_400_BAD_REQUEST
        return Response(error_body(exc.code, exc.detail), status=code)
    if isinstance(exc, DATABASE_ERRORS):
        logger.error("Database unavailable in the API: %s", exc)
        return Response(database_unavailable_body(), status=503, headers=database_unavailable_headers())
    if isinstance(exc, exceptions.APIException):
        set_rollback()
        return Response(_api_exception_body(exc, context), status=exc.status_code, headers=_headers(exc))
    logger.exception("Unexpected error in the API", exc_info=exc)
    set_rollback()
    return Response(
        error_body("internal_error", "Tuvimos un problema al procesar tu mensaje. Intenta de nuevo."),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def _api_exception_body(exc: exceptions.APIException, context: dict[str, Any]) -> dict[str, str]:
    if isinstance(exc, exceptions.ValidationError):
        return _validation_body(exc.detail)
    if isinstance(exc, exceptions.MethodNotAllowed):
        method = getattr(context.get("request"), "method", "")
        allowed = [
            name
            for name in getattr(context.get("view"), "allowed_methods", ["POST"])
            if name not in ("OPTIONS", "HEAD")
        ]
        detail = f"El método {method} no está permitido aquí; usa {' o '.join(allowed)}."
        return error_body("method_not_allowed", detail)
    if isinstance(exc, exceptions.AuthenticationFailed):
        return error_body("invalid_api_key", str(exc.detail))
    if isinstance(exc, ApiKeyThrottled):
        wait = math.ceil(exc.wait or 60)
        return error_body("rate_limited", f"Demasiados mensajes con esta llave de API; intenta de nuevo en {wait} s.")
    if isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait or 60)
        return error_body("rate_limited", f"Demasiados mensajes de este remitente; intenta de nuevo en {wait} s.")
    if type(exc) in _FIXED_BODIES:
        return error_body(*_FIXED_BODIES[type(exc)])
    codes = exc.get_codes()
    return error_body(codes if isinstance(codes, str) else exc.default_code, str(exc.detail))


def _validation_body(detail: Any) -> dict[str, str]:
    """The first problem of a serializer's errors, as one code and one sentence."""
    field, error = _first_error(detail, field=BODY_FIELD)
    if field == BODY_FIELD:
        return error_body("invalid_body", INVALID_BODY_DETAIL)
    suffix = VALIDATION_SUFFIXES.get(getattr(error, "code", ""), "invalid")
    return error_body(f"{field}_{suffix}", str(error))


def _first_error(detail: Any, *, field: str) -> tuple[str, Any]:
    if isinstance(detail, dict) and detail:
        name, value = next(iter(detail.items()))
        return _first_error(value, field=name)
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], field=field)
    return field, detail or "Los datos enviados no son válidos."


def _headers(exc: exceptions.APIException) -> dict[str, str]:
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled):
        headers["Retry-After"] = str(math.ceil(exc.wait or 60))
    return headers
