import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client

from conversations.models import Assistant
from conversations.tests.channels.servers import (
    copy_database,
    free_port,
    prepare_database,
    redis_command,
    running,
    site_env,
    wait_for_port,
)
from conversations.tests.channels.twilio_fakes import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    SANDBOX_NUMBER,
    TwilioOutbox,
    form_body,
    sign,
)
from conversations.tests.factories import AssistantFactory, ChannelNumberFactory

WEBHOOK_PATH = "/chatbot/whatsapp"
STATUS_PATH = "/chatbot/whatsapp/status"


@pytest.fixture(autouse=True)
def _twilio_settings(settings: Any) -> None:
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_VALIDATE_SIGNATURE = True
    settings.PUBLIC_BASE_URL = ""
    settings.REPLY_MODE = "sync"
    settings.WHATSAPP_RATE_LIMIT_PER_MINUTE = 20


@pytest.fixture
def twilio_outbox(settings: Any) -> TwilioOutbox:
    """Twilio's REST API: the real twilio Client talks to it through a recording HttpClient."""
    outbox = TwilioOutbox()
    settings.TWILIO_HTTP_CLIENT = outbox.http_client
    return outbox


@pytest.fixture
def kvky(db: None) -> Assistant:
    assistant = AssistantFactory()
    ChannelNumberFactory(assistant=assistant, number=SANDBOX_NUMBER)
    return assistant


@pytest.fixture
def post_signed(client: Client) -> Callable[..., Any]:
    """POST form-encoded params as Twilio does, signed over `url` (the URL Twilio requested)."""

    def post(
        params: dict[str, str],
        *,
        path: str = WEBHOOK_PATH,
        url: str | None = None,
        signature: str | None = None,
        **headers: str,
    ) -> Any:
        signed_url = url or f"http://testserver{path}"
        signature = sign(signed_url, params) if signature is None else signature
        if signature:
            headers["X-Twilio-Signature"] = signature
        return client.post(
            path, data=form_body(params), content_type="application/x-www-form-urlencoded", headers=headers
        )

    return post


def twiml_messages(response: Any) -> list[str]:
    """The texts of the <Message> elements of a TwiML answer."""
    root = ElementTree.fromstring(response.content)
    assert root.tag == "Response"
    return [element.text or "" for element in root.iter("Message")]


@pytest.fixture(scope="session")
def site_database_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per test session: a file database the site's real processes can share."""
    path = tmp_path_factory.mktemp("site-database") / "template.sqlite3"
    prepare_database(path)
    return path


@pytest.fixture
def site_database(site_database_template: Path, tmp_path: Path) -> Path:
    return copy_database(site_database_template, tmp_path / "site.sqlite3")


@pytest.fixture
def redis_url(tmp_path):
    """A real redis-server on a free loopback port, for the tests about async mode."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server); CI's .ci/run installs it")
    port = free_port()
    with running(
        "redis", redis_command(port, tmp_path), env=site_env(tmp_path / "unused.sqlite3"), logs=tmp_path
    ) as redis:
        wait_for_port(redis, port)
        yield f"redis://127.0.0.1:{port}"
