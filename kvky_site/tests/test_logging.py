"""Structured logs: JSON lines with the request id and the turn's fields, phone numbers masked."""

import json
import logging
import sys

import pytest

from conversations.api_keys import api_key_create
from conversations.services import handle_turn
from conversations.tests.factories import AssistantFactory
from kvky_site.logging import JsonFormatter, MaskedTextFormatter, RequestIdFilter, mask_phone, mask_phones
from kvky_site.request_id import REQUEST_ID_HEADER


def _record(message: str = "hola", **extra) -> logging.LogRecord:
    record = logging.LogRecord("kvky.test", logging.INFO, __file__, 1, message, None, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def _render(record: logging.LogRecord) -> dict:
    RequestIdFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def test_it_masks_the_middle_of_a_phone_number():
    assert mask_phone("+5215512345678") == "+52155****5678"


def test_it_masks_every_phone_number_inside_a_text():
    assert mask_phones("de whatsapp:+5215512345678 y 5512349876") == "de whatsapp:+52155****5678 y 55123****9876"


def test_it_leaves_short_numbers_alone():
    assert mask_phones("folio KVK-1234, $226,999 a 48 meses") == "folio KVK-1234, $226,999 a 48 meses"


def test_it_writes_one_json_object_with_the_standard_fields():
    entry = _render(_record("hola"))
    assert {"time", "level", "logger", "message", "request_id"} <= entry.keys()
    assert entry["level"] == "INFO" and entry["logger"] == "kvky.test"


def test_it_writes_extra_fields_as_json_keys():
    entry = _render(_record(intent="greet", latency_ms=12.5))
    assert entry["intent"] == "greet"
    assert entry["latency_ms"] == 12.5


def test_it_masks_phone_numbers_in_messages_and_extra_fields():
    entry = _render(_record("mensaje de +5215512345678", sender="whatsapp:+5215512345678"))
    assert entry["message"] == "mensaje de +52155****5678"
    assert entry["sender"] == "whatsapp:+52155****5678"


def test_it_includes_the_traceback_of_an_exception():
    try:
        raise ValueError("roto")
    except ValueError:
        record = logging.LogRecord("kvky.test", logging.ERROR, __file__, 1, "falló", None, sys.exc_info())
    assert "ValueError: roto" in _render(record)["exception"]


@pytest.mark.django_db
def test_it_logs_a_turn_with_assistant_conversation_intent_and_latency(caplog):
    kvky = AssistantFactory()
    with caplog.at_level(logging.INFO, logger="kvky.turns"):
        result = handle_turn(assistant=kvky, sender="+5215512345678", text="hola", channel="api")
    [record] = [record for record in caplog.records if record.name == "kvky.turns"]
    entry = _render(record)
    assert (entry["assistant"], entry["conversation"], entry["intent"]) == ("kvky", result.conversation, "greet")
    assert entry["latency_ms"] > 0
    assert entry["sender"] == "+52155****5678"


@pytest.mark.django_db
def test_it_stamps_django_request_errors_with_the_request_id(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.post("/api/v1/chat", {}, content_type="application/json", headers={REQUEST_ID_HEADER: "req-401"})
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert _render(record)["request_id"] == "req-401"


@pytest.mark.django_db
def test_it_stamps_log_lines_written_during_a_request_with_its_id(client, caplog):
    AssistantFactory()
    _, api_key = api_key_create(name="pruebas")
    with caplog.at_level(logging.INFO, logger="kvky.turns"):
        client.post(
            "/api/v1/chat",
            {"assistant": "kvky", "from": "+5215512345678", "message": "hola"},
            content_type="application/json",
            headers={REQUEST_ID_HEADER: "req-abc-123", "Authorization": f"Api-Key {api_key}"},
        )
    entries = [_render(record) for record in caplog.records if record.name == "kvky.turns"]
    assert [entry["request_id"] for entry in entries] == ["req-abc-123"]


def test_it_masks_phone_numbers_in_plain_text_lines_too():
    record = _record("mensaje de +5215512345678")
    RequestIdFilter().filter(record)
    assert MaskedTextFormatter("%(message)s [%(request_id)s]").format(record) == "mensaje de +52155****5678 [-]"
