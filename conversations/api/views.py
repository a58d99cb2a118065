"""The chat API (contract §5) and its docs. Views only parse, resolve the assistant and call handle_turn."""

from typing import Any

from django.templatetags.static import static
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from conversations.api.errors import ConversationNotFound
from conversations.api.parsers import BoundedJSONParser
from conversations.api.serializers import (
    ChatRequestSerializer,
    ChatResponseSerializer,
    ConversationMessagesSerializer,
    ErrorSerializer,
    MessagesQuerySerializer,
)
from conversations.api.throttling import api_key_rate_check, sender_rate_check
from conversations.api_keys import api_key_assistant_check
from conversations.models import Channel
from conversations.selectors import (
    POLL_PAGE_SIZE,
    assistant_resolve,
    conversation_messages_since,
    conversation_of_api_key,
)
from conversations.services import handle_turn
from kvky_site.database_errors import database_unavailable_body


class JsonOnlyNegotiation(BaseContentNegotiation):
    """Always answer JSON, whatever Accept says: a client that asks for HTML still gets a usable answer."""

    def select_parser(self, request: Request, parsers: list) -> Any:
        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type


def _error(description: str, *examples: tuple[str, str]) -> OpenApiResponse:
    """An error answer; the description lists every code it may carry, each with an example."""
    codes = ", ".join(f"`{code}`" for code, _ in examples)
    return OpenApiResponse(
        ErrorSerializer,
        description=f"{description} Códigos: {codes}.",
        examples=[OpenApiExample(code, value={"error": code, "detail": detail}) for code, detail in examples],
    )


BAD_REQUEST = _error(
    "JSON no válido, datos faltantes o con formato equivocado.",
    ("invalid_json", "El cuerpo de la petición no es JSON válido."),
    ("invalid_body", 'El cuerpo debe ser un objeto JSON, p. ej. {"from": "+5215512345678", "message": "hola"}.'),
    ("message_required", "Falta «message»: el texto que escribió la persona."),
    ("message_too_long", "«message» no puede tener más de 1600 caracteres."),
    ("message_invalid", "«message» debe ser texto."),
    ("from_required", "Falta «from»: el teléfono o identificador de quien escribe."),
    ("from_invalid", "«from» solo puede tener dígitos, letras, espacios y + - . : @ ( )."),
    ("to_invalid", "«to» debe ser un número de teléfono, p. ej. «+14155238886»."),
    ("assistant_invalid", "«assistant» debe ser texto, p. ej. «kvky»."),
    ("assistant_ambiguous", "Hay varios asistentes: indica cuál con «assistant» (p. ej. «kvky») o con «to»."),
)
UNAUTHORIZED = _error(
    "Falta la llave o no es válida.",
    ("not_authenticated", "Falta la llave de API: envía el encabezado «Authorization: Api-Key <llave>»."),
    ("invalid_api_key", "La llave de API no es válida o fue desactivada."),
)
FORBIDDEN = _error(
    "La llave no puede hablar con ese asistente.",
    ("assistant_forbidden", "Tu llave de API no tiene acceso al asistente «blinky»."),
)
RATE_LIMITED = _error(
    "Demasiados mensajes del remitente o de la llave; espera los segundos de `Retry-After`.",
    ("rate_limited", "Demasiados mensajes de este remitente; intenta de nuevo en 42 s."),
)
DATABASE_UNAVAILABLE = _error(
    "La base de datos no responde por un momento; reintenta después de `Retry-After`.",
    ("database_unavailable", database_unavailable_body()["detail"]),
)
INTERNAL_ERROR = _error(
    "Un error nuestro; no debería pasar.",
    ("internal_error", "Tuvimos un problema al procesar tu mensaje. Intenta de nuevo."),
)


CHAT_REQUEST_EXAMPLES = [
    OpenApiExample(
        "Buscar autos",
        value={"assistant": "kvky", "from": "+5215512345678", "message": "¿tienen chevys de menos de 300k?"},
        request_only=True,
    ),
    OpenApiExample(
        "Por número de canal",
        value={"from": "+5215512345678", "to": "whatsapp:+14155238886", "message": "hola"},
        request_only=True,
    ),
]
# What the demo data (`seed_demo`, the one `make run` loads) answers to the first request example; a test keeps it so.
CHAT_RESPONSE_EXAMPLE = {
    "conversation": "c2f1e0b4-5a7d-4f7e-9b1e-2f0c8d1a9e33",
    "assistant": "kvky",
    "reply": "Tengo 6 opciones Chevrolet por debajo de $300,000:\n"
    "• Chevrolet Beat 2022 1.2 LTZ MT, 50,196 km, $192,999\n…",
    "intent": "search_vehicles",
    "slots": {"make": "Chevrolet", "max_price": 300000},
    "vehicles": [
        {
            "stock_id": "459301",
            "make": "Chevrolet",
            "model": "Beat",
            "year": 2022,
            "version": "1.2 LTZ MT",
            "km": 50196,
            "price": 192999,
            "body_type": "hatchback",
            "bluetooth": True,
            "car_play": True,
            "transmission": "manual",
            "length_mm": 3640,
            "width_mm": 1595,
            "height_mm": 1522,
            "photo_url": "",
        }
    ],
    "vehicles_total": 6,
    "alternatives": [],
    "financing": [],
    "faq": None,
    "lead": None,
    "handoff": False,
}
CHAT_RESPONSES = {
    200: OpenApiResponse(
        ChatResponseSerializer,
        description="La respuesta del asistente.",
        examples=[OpenApiExample("Búsqueda", value=CHAT_RESPONSE_EXAMPLE, response_only=True)],
    ),
    400: BAD_REQUEST,
    401: UNAUTHORIZED,
    403: FORBIDDEN,
    404: _error("No existe el asistente.", ("assistant_not_found", "No existe un asistente con el identificador «x».")),
    405: _error("Método no permitido.", ("method_not_allowed", "El método GET no está permitido aquí; usa POST.")),
    413: _error("Cuerpo demasiado grande.", ("body_too_large", "El cuerpo de la petición es demasiado grande.")),
    415: _error(
        "El cuerpo no es JSON.",
        ("unsupported_media_type", "Envía el cuerpo como JSON, con el encabezado «Content-Type: application/json»."),
    ),
    429: RATE_LIMITED,
    500: INTERNAL_ERROR,
    503: DATABASE_UNAVAILABLE,
}
CHAT_DESCRIPTION = (
    "Envía el mensaje de una persona y recibe la respuesta del asistente. Autenticación: "
    "encabezado `Authorization: Api-Key <llave>` (créala con `python manage.py create_api_key NOMBRE`). "
    "`assistant` puede omitirse si envías `to` (el número del canal) o si solo hay un asistente. "
    "Si un mismo `from`, o la llave en conjunto, excede su límite por minuto, la respuesta es 429 con "
    "`Retry-After`. Una llave limitada a otros asistentes recibe 403 `assistant_forbidden`. "
    "Las respuestas del personal y los pases a una persona llegan al webhook de la llave (POST JSON con "
    "`X-KVKy-Event`, `X-KVKy-Delivery` y `X-KVKy-Signature: sha256=<HMAC-SHA256 del cuerpo con el secreto>`) "
    "o se consultan con `GET /api/v1/conversations/{id}/messages?since=`."
)


class ChatView(APIView):
    parser_classes = [BoundedJSONParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnlyNegotiation

    @extend_schema(
        operation_id="chat",
        summary="Conversar con un asistente",
        description=CHAT_DESCRIPTION,
        request=ChatRequestSerializer,
        responses=CHAT_RESPONSES,
        examples=CHAT_REQUEST_EXAMPLES,
        tags=["chat"],
    )
    def post(self, request: Request) -> Response:
        api_key_rate_check(request.auth)  # every request the key makes counts, valid or not
        serializer = ChatRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        sender_rate_check(data["sender"])
        assistant = assistant_resolve(slug=data.get("assistant"), to=data.get("to"))
        api_key_assistant_check(request.auth, assistant)
        result = handle_turn(
            assistant=assistant, sender=data["sender"], text=data["message"], channel=Channel.API, api_key=request.auth
        )
        # Through the serializer: the answer is exactly what the schema documents, money in whole pesos.
        return Response(ChatResponseSerializer(result.as_dict()).data)


@extend_schema_view(
    post=extend_schema(
        operation_id="chatbot_http",
        summary="Ruta compatible: {from, to, message}",
        description="Igual que `POST /api/v1/chat`, para clientes del proyecto original. " + CHAT_DESCRIPTION,
    )
)
class SeedChatView(ChatView):
    pass


MESSAGES_DESCRIPTION = (
    "Los mensajes de una conversación que abrió tu llave, del más antiguo al más reciente, para clientes que "
    "consultan en lugar de recibir el webhook. Con `since` (un ID de mensaje o una fecha y hora ISO 8601) "
    "solo llegan los posteriores. Las respuestas del personal llegan aquí con `role` `staff`."
)


class ConversationMessagesView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnlyNegotiation

    @extend_schema(
        operation_id="conversation_messages",
        summary="Mensajes nuevos de una conversación",
        description=MESSAGES_DESCRIPTION,
        parameters=[MessagesQuerySerializer],
        responses={
            200: ConversationMessagesSerializer,
            400: _error(
                "`since` no es un ID ni una fecha.",
                ("since_invalid", "«since» debe ser un ID de mensaje o una fecha y hora ISO 8601."),
            ),
            401: UNAUTHORIZED,
            403: FORBIDDEN,
            404: _error(
                "No existe la conversación o no la abrió tu llave.",
                ("conversation_not_found", "No encontramos esa conversación entre las de tu llave."),
            ),
            429: RATE_LIMITED,
            503: DATABASE_UNAVAILABLE,
        },
        tags=["chat"],
    )
    def get(self, request: Request, conversation_id: str) -> Response:
        api_key_rate_check(request.auth)
        query = MessagesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        conversation = conversation_of_api_key(api_key=request.auth, conversation_id=conversation_id)
        if conversation is None:
            raise ConversationNotFound()
        api_key_assistant_check(request.auth, conversation.assistant)
        since = query.validated_data.get("since")
        messages = conversation_messages_since(
            conversation,
            since_id=since if isinstance(since, int) else None,
            since_time=None if since is None or isinstance(since, int) else since,
        )
        body = {
            "conversation": conversation.pk,
            "assistant": conversation.assistant,
            "handoff": conversation.handoff,
            "messages": messages[:POLL_PAGE_SIZE],
            "has_more": len(messages) > POLL_PAGE_SIZE,
        }
        return Response(ConversationMessagesSerializer(body).data)


class SchemaView(SpectacularAPIView):
    authentication_classes = []  # public: a stray Authorization header must not hide the docs


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files (drf-spectacular-sidecar), never from a CDN."""

    authentication_classes = []
    url_name = "api-schema"
    title = "KVKy API"

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        return static(f"drf_spectacular_sidecar/swagger-ui-dist/{filename}")

    @staticmethod
    def _swagger_ui_favicon() -> str:
        return static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png")
