import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conversations.api_keys import api_key_create
from conversations.tests.api.webhook_receiver import webhook_receiver  # noqa: F401 (a fixture for the tests here)

CHAT_URL = "/api/v1/chat"


@pytest.fixture
def api_key(db: None) -> str:
    _, raw_key = api_key_create(name="pruebas")
    return raw_key


@pytest.fixture
def post_chat(client: Client, api_key: str) -> Callable[..., Any]:
    """POST to the chat API with a valid key. `body` is JSON-encoded unless it is bytes."""

    def post(body: Any, *, path: str = CHAT_URL, content_type: str = "application/json", **headers: str) -> Any:
        data = body if isinstance(body, bytes) else json.dumps(body)
        return client.post(
            path, data=data, content_type=content_type, headers={"Authorization": f"Api-Key {api_key}", **headers}
        )

    return post
