import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conversations.channels.webchat import SESSION_HEADER, session_new
from conversations.models import Assistant
from conversations.tests.factories import AssistantFactory, OnboardingAssistantFactory


@pytest.fixture
def kvky(db: None) -> Assistant:
    return AssistantFactory()


@pytest.fixture
def blinky(db: None) -> Assistant:
    return OnboardingAssistantFactory()


@pytest.fixture
def token(kvky: Assistant) -> str:
    """A session token for kvky, as the chat page hands it out."""
    return session_new(kvky)[1]


@pytest.fixture
def post_message(client: Client) -> Callable[..., Any]:
    """POST to a chat's endpoint. `body` is JSON-encoded unless it is bytes; token=None sends no session."""

    def post(
        body: Any, *, token: str | None, slug: str = "kvky", content_type: str = "application/json", **extra: Any
    ) -> Any:
        data = body if isinstance(body, bytes) else json.dumps(body)
        headers = {SESSION_HEADER: token} if token is not None else {}
        return client.post(f"/chat/{slug}/messages", data=data, content_type=content_type, headers=headers, **extra)

    return post


@pytest.fixture
def get_messages(client: Client) -> Callable[..., Any]:
    def get(*, token: str | None, slug: str = "kvky", query: str = "", **extra: Any) -> Any:
        headers = {SESSION_HEADER: token} if token is not None else {}
        return client.get(f"/chat/{slug}/messages{query}", headers=headers, **extra)

    return get
