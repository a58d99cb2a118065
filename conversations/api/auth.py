"""`Authorization: Api-Key <key>` authentication for the REST API."""

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from conversations.api_keys import api_key_verify
from conversations.models import ApiKey

KEYWORD = "Api-Key"


@dataclass(frozen=True)
class ApiClient:
    """The principal behind a valid key (request.user); request.auth is the ApiKey row."""

    name: str
    is_authenticated: bool = True
    is_anonymous: bool = False

    def __str__(self) -> str:
        return self.name


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[ApiClient, ApiKey] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # no key at all: the permission check answers 401
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("El encabezado debe ser «Authorization: Api-Key <llave>».")
        try:
            raw_key = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("La llave de API no es válida.") from error
        api_key = api_key_verify(raw_key)
        if api_key is None:
            raise exceptions.AuthenticationFailed("La llave de API no es válida o fue desactivada.")
        return ApiClient(name=api_key.name), api_key

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "conversations.api.auth.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Escribe `Api-Key <llave>`. Crea una llave con `python manage.py create_api_key NOMBRE`.",
        }
