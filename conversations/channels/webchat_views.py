"""The web chat's page and its JSON endpoint. Thin: parse, check, call handle_turn, render."""

import json
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from conversations.channels import webchat
from conversations.models import Assistant, Channel
from conversations.services import handle_turn
from kvky_site.client_address import client_address

MAX_BODY_BYTES = 16 * 1024
READS_PER_MESSAGE = 4  # history reads per message allowed: the page polls every 5 s while a person answers
# Control characters other than tab and newline: PostgreSQL refuses NUL, and none belongs in a chat message.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Half of a UTF-16 pair, which JSON's \uD800 escapes can carry alone: no database or encoder can store it.
LONE_SURROGATES = re.compile(r"[\ud800-\udfff]")


class ChatRequestError(Exception):
    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}


@require_GET
def chat_page(request: HttpRequest, assistant: str) -> HttpResponse:
    """The chat page; `?embed=1` is the compact layout the widget opens in an iframe."""
    bot = get_object_or_404(Assistant, slug=assistant)
    _, token = webchat.session_new(bot)
    context = {
        "assistant": bot,
        "session_token": token,
        "session_header": webchat.SESSION_HEADER,
        "messages_url": reverse("webchat-messages", kwargs={"assistant": bot.slug}),
        "embed": request.GET.get("embed") == "1",
        "max_chars": settings.MESSAGE_MAX_CHARS,
        "max_chars_label": f"{settings.MESSAGE_MAX_CHARS:,}",
    }
    response = render(request, "webchat/chat.html", context)
    add_never_cache_headers(response)  # the page holds a session token of its own
    return webchat.apply_page_security(response)


@csrf_exempt  # the session token travels in a header no other site can set or read: see channels/webchat.py
def chat_messages(request: HttpRequest, assistant: str) -> JsonResponse:
    """GET: the conversation so far (`?after=<id>`: only newer messages). POST {"message": "…"}: one turn."""
    try:
        if request.method == "POST":
            response = _post_message(request, assistant)
        elif request.method == "GET":
            response = _get_messages(request, assistant)
        else:
            raise ChatRequestError(
                405,
                "method_not_allowed",
                f"El método {request.method} no está permitido aquí; usa GET o POST.",
                headers={"Allow": "GET, POST"},
            )
    except ChatRequestError as error:
        response = _json({"error": error.code, "detail": error.detail}, status=error.status)
        for name, value in error.headers.items():
            response.headers[name] = value
    return webchat.apply_api_security(response)


def _post_message(request: HttpRequest, slug: str) -> JsonResponse:
    assistant = _assistant(slug)
    _check_rate("ip", client_address(request), settings.WEBCHAT_IP_RATE_LIMIT_PER_MINUTE)
    session = _session(request, assistant)
    _check_rate("session", session.sender, settings.WEBCHAT_RATE_LIMIT_PER_MINUTE)
    text = _message_text(request)
    result = handle_turn(assistant=assistant, sender=session.sender, text=text, channel=Channel.WEB)
    turn = result.as_dict()
    conversation = webchat.web_conversation(assistant, session)
    last_id = webchat.last_message_id(conversation)
    pending = (conversation.state or {}).get("pending") if conversation else None
    return _json(
        {
            "conversation": turn["conversation"],
            "message": {"id": last_id, **webchat.turn_view(turn)} if result.reply else None,
            "handoff": result.handoff,
            "quick_replies": webchat.quick_replies(assistant, turn, pending=pending),
            "last_id": last_id,
        }
    )


def _get_messages(request: HttpRequest, slug: str) -> JsonResponse:
    assistant = _assistant(slug)
    _check_rate("read", client_address(request), settings.WEBCHAT_IP_RATE_LIMIT_PER_MINUTE * READS_PER_MESSAGE)
    session = _session(request, assistant)
    after = _after(request)
    conversation = webchat.web_conversation(assistant, session)
    messages = webchat.conversation_messages(conversation, after=after) if conversation else []
    return _json(
        {
            "messages": [webchat.message_view(message) for message in messages],
            "handoff": bool(conversation and conversation.handoff),
            "quick_replies": webchat.conversation_quick_replies(assistant, conversation),
            "last_id": webchat.last_message_id(conversation),
        }
    )


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _assistant(slug: str) -> Assistant:
    assistant = Assistant.objects.filter(slug=slug).first()
    if assistant is None:
        raise ChatRequestError(404, "assistant_not_found", f"No existe un asistente con el identificador «{slug}».")
    return assistant


def _session(request: HttpRequest, assistant: Assistant) -> webchat.WebSession:
    try:
        return webchat.session_from_token(request.headers.get(webchat.SESSION_HEADER, ""), assistant)
    except webchat.SessionError as error:
        raise ChatRequestError(403, error.code, error.detail) from None


def _check_rate(scope: str, key: str, limit: int) -> None:
    wait = webchat.rate_limit_wait(scope, key, limit)
    if wait:
        detail = f"Vas muy rápido: espera {wait} s y vuelve a intentarlo."
        raise ChatRequestError(429, "rate_limited", detail, headers={"Retry-After": str(wait)})


def _after(request: HttpRequest) -> int:
    raw = request.GET.get("after", "0") or "0"
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:  # "²" is a digit to str.isdigit, not to int()
        raise ChatRequestError(400, "after_invalid", "«after» debe ser el número de un mensaje.")
    return int(raw)


def _message_text(request: HttpRequest) -> str:
    body = _json_body(request)
    message = body.get("message")
    if message is None:
        raise ChatRequestError(400, "message_required", "Escribe un mensaje.")
    if not isinstance(message, str):
        raise ChatRequestError(400, "message_invalid", "El mensaje debe ser texto.")
    if LONE_SURROGATES.search(message):  # refused before anything, even the conversation, is stored
        raise ChatRequestError(400, "message_invalid", "Tu mensaje trae caracteres no válidos; escríbelo de nuevo.")
    text = CONTROL_CHARACTERS.sub("", message).strip()
    if not text:
        raise ChatRequestError(400, "message_required", "Escribe un mensaje.")
    if len(text) > settings.MESSAGE_MAX_CHARS:
        detail = (
            f"Tu mensaje tiene {len(text):,} caracteres y el máximo es de {settings.MESSAGE_MAX_CHARS:,}: "
            "acórtalo y vuelve a enviarlo."
        )
        raise ChatRequestError(400, "message_too_long", detail)
    return text


def _too_large() -> str:
    limit = settings.MESSAGE_MAX_CHARS
    return f"Tu mensaje es demasiado largo: el máximo es de {limit:,} caracteres. Acórtalo y vuelve a enviarlo."


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise ChatRequestError(415, "unsupported_media_type", "Envía el mensaje como JSON (application/json).")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise ChatRequestError(413, "body_too_large", _too_large())
    raw = request.body
    if len(raw) > MAX_BODY_BYTES:
        raise ChatRequestError(413, "body_too_large", _too_large())
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ChatRequestError(400, "invalid_json", "El cuerpo de la petición no es JSON válido.") from None
    if not isinstance(body, dict):
        raise ChatRequestError(400, "invalid_body", 'El cuerpo debe ser un objeto JSON, p. ej. {"message": "hola"}.')
    return body
