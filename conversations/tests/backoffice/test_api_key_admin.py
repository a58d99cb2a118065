import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from conversations.api_keys import api_key_create, api_key_verify
from conversations.models import ApiKey
from conversations.tests.factories import AssistantFactory, OnboardingAssistantFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:conversations_apikey_changelist")
ADD = reverse("admin:conversations_apikey_add")


def _shown_key(response) -> str:
    text = " ".join(str(message) for message in get_messages(response.wsgi_request))
    return re.search(r"no se vuelve a mostrar: (\S+)", text).group(1)


def test_it_creates_a_key_and_shows_it_once(super_client):
    response = super_client.post(ADD, {"name": "crm"})
    raw_key = _shown_key(response)
    assert api_key_verify(raw_key) == ApiKey.objects.get(name="crm")


def test_it_never_shows_the_hash_of_a_key(super_client):
    api_key, _raw = api_key_create(name="crm")
    page = super_client.get(reverse("admin:conversations_apikey_change", args=[api_key.pk])).content.decode()
    assert api_key.prefix in page and api_key.hashed_key not in page


def test_it_refuses_a_repeated_name_with_a_form_error(super_client):
    api_key_create(name="crm")
    response = super_client.post(ADD, {"name": "crm"})
    assert (response.status_code, ApiKey.objects.count()) == (200, 1)


def test_it_revokes_keys_at_once(super_client):
    _api_key, raw_key = api_key_create(name="crm")
    api_key_verify(raw_key)  # cached
    super_client.post(CHANGELIST, {"action": "revoke", "_selected_action": [ApiKey.objects.get().pk]})
    assert api_key_verify(raw_key) is None


def test_it_restores_a_revoked_key(super_client):
    api_key, raw_key = api_key_create(name="crm")
    ApiKey.objects.update(is_active=False)
    super_client.post(CHANGELIST, {"action": "restore", "_selected_action": [api_key.pk]})
    assert api_key_verify(raw_key) is not None


def test_it_hides_keys_from_sales_managers(sales_client):
    assert sales_client.get(CHANGELIST).status_code == 403


def _messages(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def _change(api_key: ApiKey) -> str:
    return reverse("admin:conversations_apikey_change", args=[api_key.pk])


def test_it_creates_a_key_limited_to_the_assistants_chosen(super_client):
    kvky, _blinky = AssistantFactory(), OnboardingAssistantFactory()
    super_client.post(ADD, {"name": "agencia", "assistants": [kvky.pk], "webhook_url": ""})
    assert list(ApiKey.objects.get().assistants.all()) == [kvky]


def test_it_shows_the_webhook_secret_once_when_the_url_is_set(super_client):
    api_key, _raw = api_key_create(name="crm")
    response = super_client.post(_change(api_key), {"webhook_url": "https://crm.example.com/kvky", "assistants": []})
    api_key.refresh_from_db()
    assert api_key.webhook_secret and api_key.webhook_secret in _messages(response)


def test_it_never_shows_the_webhook_secret_on_the_key_page(super_client):
    api_key, _raw = api_key_create(name="crm", webhook_url="https://crm.example.com/kvky")
    page = super_client.get(_change(api_key)).content.decode()
    assert "https://crm.example.com/kvky" in page and api_key.webhook_secret not in page


def test_it_narrows_an_existing_key_to_some_assistants(super_client):
    kvky, _blinky = AssistantFactory(), OnboardingAssistantFactory()
    api_key, _raw = api_key_create(name="crm")
    super_client.post(_change(api_key), {"webhook_url": "", "assistants": [kvky.pk]})
    assert list(api_key.assistants.all()) == [kvky]


def test_it_rotates_the_webhook_secret(super_client):
    api_key, _raw = api_key_create(name="crm", webhook_url="https://crm.example.com/kvky")
    old = api_key.webhook_secret
    response = super_client.post(CHANGELIST, {"action": "rotate_webhook_secret", "_selected_action": [api_key.pk]})
    api_key.refresh_from_db()
    assert api_key.webhook_secret != old and api_key.webhook_secret in _messages(response)
