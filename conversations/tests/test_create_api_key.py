import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conversations.api_keys import api_key_verify
from conversations.models import ApiKey
from conversations.tests.factories import AssistantFactory, OnboardingAssistantFactory

pytestmark = pytest.mark.django_db


def create_api_key(name: str) -> str:
    out = StringIO()
    call_command("create_api_key", name, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_it_prints_a_working_key_as_the_last_line():
    raw_key = create_api_key("crm")
    assert api_key_verify(raw_key) == ApiKey.objects.get(name="crm")


def test_it_stores_only_the_sha256_of_the_key():
    raw_key = create_api_key("crm")
    api_key = ApiKey.objects.get()
    assert api_key.hashed_key == hashlib.sha256(raw_key.encode()).hexdigest()
    assert raw_key not in (api_key.name, api_key.prefix, api_key.hashed_key)


def test_it_stores_the_key_prefix_for_recognising_it():
    raw_key = create_api_key("crm")
    assert raw_key.startswith(ApiKey.objects.get().prefix + ".")


def test_it_refuses_a_name_that_already_exists():
    create_api_key("crm")
    with pytest.raises(CommandError, match="crm"):
        create_api_key("crm")
    assert ApiKey.objects.count() == 1


def test_it_refuses_a_blank_name():
    with pytest.raises(CommandError):
        create_api_key("   ")


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_it_limits_the_key_to_the_assistants_named():
    AssistantFactory()
    OnboardingAssistantFactory()
    run("agencia", "--assistant", "kvky")
    assert list(ApiKey.objects.get().assistants.values_list("slug", flat=True)) == ["kvky"]


def test_it_refuses_an_assistant_that_does_not_exist():
    with pytest.raises(CommandError, match="rh"):
        run("agencia", "--assistant", "rh")
    assert not ApiKey.objects.exists()


def test_it_prints_the_webhook_secret_once_and_the_key_last():
    lines = run("crm", "--webhook-url", "https://crm.example.com/kvky")
    api_key = ApiKey.objects.get()
    assert (api_key.webhook_url, api_key_verify(lines[-1])) == ("https://crm.example.com/kvky", api_key)
    assert any(api_key.webhook_secret in line for line in lines[:-1])


def test_it_refuses_a_webhook_url_that_is_not_http():
    with pytest.raises(CommandError, match="URL"):
        run("crm", "--webhook-url", "ftp://crm.example.com")
    assert not ApiKey.objects.exists()
