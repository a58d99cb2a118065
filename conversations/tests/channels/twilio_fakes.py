"""Twilio's edge, faked for tests: signed webhooks, and a REST API that records what we send.

Only Twilio's side is fake. Webhooks are signed with the twilio library's own RequestValidator;
the REST client is the real twilio Client, given an HttpClient that records instead of dialling out.
"""

import itertools
import json
import logging
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "0" * 32
SANDBOX_NUMBER = "+14155238886"
CUSTOMER = "+5215512345678"
_sids = itertools.count(1)


def new_message_sid() -> str:
    return f"SM{uuid.uuid4().hex}"


def webhook_params(body: str = "hola", **overrides: str) -> dict[str, str]:
    """The fields Twilio posts for an inbound WhatsApp text message."""
    params = {
        "SmsMessageSid": "",
        "NumMedia": "0",
        "ProfileName": "Ana",
        "MessageType": "text",
        "SmsSid": "",
        "WaId": CUSTOMER.removeprefix("+"),
        "SmsStatus": "received",
        "Body": body,
        "To": f"whatsapp:{SANDBOX_NUMBER}",
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": new_message_sid(),
        "AccountSid": ACCOUNT_SID,
        "From": f"whatsapp:{CUSTOMER}",
        "ApiVersion": "2010-04-01",
    }
    params.update(overrides)
    params["SmsMessageSid"] = params["SmsSid"] = params["MessageSid"]
    return params


def media_params(**overrides: str) -> dict[str, str]:
    """A photo with no caption."""
    return webhook_params(
        body="",
        NumMedia="1",
        MessageType="image",
        MediaContentType0="image/jpeg",
        MediaUrl0=f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM1/Media/ME1",
        **overrides,
    )


def sign(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


def form_body(params: dict[str, str]) -> str:
    return urlencode(params)


@dataclass
class SentRequest:
    method: str
    url: str
    data: dict[str, Any]
    auth: tuple[str, str] | None
    sid: str = ""  # set when Twilio accepted the message (201)


class TwilioOutbox:
    """Twilio's REST API as the tests see it: every request, and the answers to give (201 unless scripted)."""

    def __init__(self) -> None:
        self.requests: list[SentRequest] = []
        self._script: deque[tuple[int, dict[str, Any]] | Exception] = deque()

    def http_client(self) -> HttpClient:
        return RecordingHttpClient(self)

    def answer_next(self, status: int, body: dict[str, Any] | None = None) -> None:
        self._script.append((status, body or {"code": 20500, "message": "Internal Server Error", "status": status}))

    def raise_next(self, error: Exception) -> None:
        self._script.append(error)

    @property
    def accepted(self) -> list[SentRequest]:
        """The messages Twilio took (answered 201): what reaches the customer."""
        return [request for request in self.requests if request.sid]

    def handle(self, method: str, url: str, data: dict[str, Any], auth: tuple[str, str] | None) -> Response:
        request = SentRequest(method, url, dict(data), auth)
        self.requests.append(request)
        scripted = self._script.popleft() if self._script else None
        if isinstance(scripted, Exception):
            raise scripted
        status, body = scripted or (201, _created_message(data))
        if status == 201:
            request.sid = body["sid"]
        return Response(status, json.dumps(body))


class RecordingHttpClient(HttpClient):
    def __init__(self, outbox: TwilioOutbox) -> None:
        super().__init__(logger=logging.getLogger("twilio.http_client"), is_async=False)
        self.outbox = outbox

    def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        return self.outbox.handle(method, uri, data or {}, auth)


def _created_message(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "sid": f"SM{next(_sids):032x}",
        "account_sid": ACCOUNT_SID,
        "status": "queued",
        "to": data.get("To"),
        "from": data.get("From"),
        "body": data.get("Body"),
        "num_segments": "1",
        "direction": "outbound-api",
        "api_version": "2010-04-01",
    }
