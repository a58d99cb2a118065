import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conversations.api_keys import api_key_verify
from conversations.models import ApiKey

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
