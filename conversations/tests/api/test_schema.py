from typing import Any

import pytest
from django.test import Client
from drf_spectacular.validation import validate_schema

SIDECAR = "/static/drf_spectacular_sidecar/swagger-ui-dist/"


@pytest.fixture
def schema(client: Client) -> dict[str, Any]:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def chat_operation(schema: dict[str, Any]) -> dict[str, Any]:
    return schema["paths"]["/api/v1/chat"]["post"]


def test_it_serves_a_valid_openapi_document(schema):
    validate_schema(schema)


def test_it_documents_both_chat_paths(schema):
    assert {"/api/v1/chat", "/chatbot/http"} <= set(schema["paths"])


def test_it_declares_the_api_key_security_scheme(schema):
    scheme = schema["components"]["securitySchemes"]["ApiKeyAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert chat_operation(schema)["security"] == [{"ApiKeyAuth": []}]


def test_it_documents_from_and_message_as_required_request_fields(schema):
    request = schema["components"]["schemas"]["ChatRequest"]
    assert set(request["required"]) == {"from", "message"}
    assert request["properties"]["message"]["maxLength"] == 1600


def test_it_documents_the_response_fields_of_the_contract(schema):
    response = schema["components"]["schemas"]["ChatResponse"]
    assert set(response["properties"]) == {
        "conversation", "assistant", "reply", "intent", "slots", "vehicles", "vehicles_total",
        "alternatives", "financing", "faq", "lead", "handoff",
    }  # fmt: skip


def test_it_gives_examples_for_the_request_and_the_response(schema):
    operation = chat_operation(schema)
    assert operation["requestBody"]["content"]["application/json"]["examples"]
    assert operation["responses"]["200"]["content"]["application/json"]["examples"]


def test_it_documents_the_error_answers(schema):
    assert {"400", "401", "404", "415", "429"} <= set(chat_operation(schema)["responses"])


def test_it_serves_the_docs_page_with_assets_from_our_own_static_files(client):
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{SIDECAR}swagger-ui-bundle.js" in html
    assert "https://" not in html and "http://" not in html


def test_it_serves_the_docs_script_pointing_at_our_schema(client):
    response = client.get("/api/docs/", {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()


def test_it_serves_the_swagger_bundle_itself(client):
    response = client.get(f"{SIDECAR}swagger-ui-bundle.js")
    assert response.status_code == 200
