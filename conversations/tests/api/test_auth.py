from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.api_keys import api_key_create, api_key_verify
from conversations.models import ApiKey
from conversations.tests.api.conftest import CHAT_URL

pytestmark = pytest.mark.django_db

# A body that fails validation: a 400 proves the key was accepted without running a turn.
EMPTY_MESSAGE = b'{"from": "+5215512345678", "message": ""}'


def post_with_authorization(client, authorization: str | None):
    headers = {"Authorization": authorization} if authorization is not None else {}
    return client.post(CHAT_URL, data=EMPTY_MESSAGE, content_type="application/json", headers=headers)


def test_it_accepts_a_valid_key(client, api_key):
    assert post_with_authorization(client, f"Api-Key {api_key}").status_code == 400


def test_it_accepts_the_keyword_in_any_case(client, api_key):
    assert post_with_authorization(client, f"api-key {api_key}").status_code == 400


def test_it_answers_401_with_www_authenticate_without_a_key(client):
    response = post_with_authorization(client, None)
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Api-Key")


def test_it_answers_401_for_a_wrong_key(client, api_key):
    prefix = api_key.split(".")[0]
    response = post_with_authorization(client, f"Api-Key {prefix}.not-the-secret")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_api_key"
    assert response["WWW-Authenticate"].startswith("Api-Key")


def test_it_answers_401_for_a_deactivated_key(client, api_key):
    ApiKey.objects.update(is_active=False)
    response = post_with_authorization(client, f"Api-Key {api_key}")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_api_key"


@pytest.mark.parametrize("authorization", ["Api-Key", "Api-Key a b", "Api-Key ñandú.x"], ids=["empty", "two", "latin1"])
def test_it_answers_401_for_a_malformed_api_key_header(client, api_key, authorization):
    assert post_with_authorization(client, authorization).status_code == 401


def test_it_answers_401_for_another_scheme(client, api_key):
    assert post_with_authorization(client, f"Bearer {api_key}").status_code == 401


def test_it_verifies_a_key_by_its_hash(api_key):
    assert api_key_verify(api_key) == ApiKey.objects.get()


def test_it_rejects_a_key_without_a_prefix_separator(api_key):
    assert api_key_verify(api_key.replace(".", "")) is None


def test_it_rejects_an_overlong_key(api_key):
    assert api_key_verify(api_key + "x" * 200) is None


def test_it_records_when_a_key_was_last_used(api_key):
    api_key_verify(api_key)
    assert ApiKey.objects.get().last_used_at is not None


def test_it_does_not_rewrite_last_used_within_a_minute(api_key):
    recently = timezone.now() - timedelta(seconds=20)
    ApiKey.objects.update(last_used_at=recently)
    api_key_verify(api_key)
    assert ApiKey.objects.get().last_used_at == recently


def test_it_rewrites_last_used_after_a_minute(api_key):
    long_ago = timezone.now() - timedelta(minutes=5)
    ApiKey.objects.update(last_used_at=long_ago)
    api_key_verify(api_key)
    assert ApiKey.objects.get().last_used_at > long_ago


def test_it_creates_keys_that_differ(db):
    _, first = api_key_create(name="uno")
    _, second = api_key_create(name="dos")
    assert first != second


def test_it_refuses_a_key_revoked_in_this_process_at_once(api_key):
    api_key_verify(api_key)
    key = ApiKey.objects.get()
    key.is_active = False
    key.save()
    assert api_key_verify(api_key) is None


def test_it_refuses_a_key_revoked_by_another_process_once_the_recheck_interval_passed(settings, api_key):
    settings.ENGINE_CACHE_RECHECK_SECONDS = 0
    api_key_verify(api_key)
    ApiKey.objects.update(is_active=False)  # no signal reaches this process
    assert api_key_verify(api_key) is None


def test_it_verifies_a_known_key_without_a_query_within_the_recheck_interval(api_key, django_assert_num_queries):
    api_key_verify(api_key)
    with django_assert_num_queries(0):
        assert api_key_verify(api_key) is not None
