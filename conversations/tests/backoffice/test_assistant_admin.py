"""Assistant settings: names, texts, financing terms, folio prefix and channel numbers, validated."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conversations.backoffice.forms import AssistantSettingsForm, ChannelNumberForm
from conversations.models import Assistant, ChannelNumber

pytestmark = pytest.mark.django_db


def _data(assistant: Assistant, **changes) -> dict:
    fields = AssistantSettingsForm.Meta.fields
    data = {name: getattr(assistant, name) for name in fields}
    return {**data, **changes}


def _form(assistant: Assistant, **changes) -> AssistantSettingsForm:
    return AssistantSettingsForm(data=_data(assistant, **changes), instance=assistant)


def test_it_accepts_the_demo_settings(kvky):
    assert _form(kvky).is_valid()


def test_it_upper_cases_the_folio_prefix(kvky):
    form = _form(kvky, folio_prefix="vnt")

    assert form.is_valid()
    assert form.cleaned_data["folio_prefix"] == "VNT"


def test_it_rejects_a_folio_prefix_with_symbols(kvky):
    assert "folio_prefix" in _form(kvky, folio_prefix="KV-K").errors


def test_it_rejects_a_term_range_upside_down(kvky):
    assert "max_term_months" in _form(kvky, min_term_months=72, max_term_months=36).errors


def test_it_rejects_a_term_range_without_a_whole_year_term(kvky):
    assert "max_term_months" in _form(kvky, min_term_months=13, max_term_months=23).errors


def test_it_rejects_a_term_longer_than_ten_years(kvky):
    assert "max_term_months" in _form(kvky, max_term_months=180).errors


def test_it_rejects_a_down_payment_of_the_whole_price(kvky):
    assert "default_down_payment_pct" in _form(kvky, default_down_payment_pct=Decimal("1")).errors


def test_it_rejects_a_minimum_down_payment_above_the_default(kvky):
    assert not _form(kvky, min_down_payment_pct=Decimal("0.30"), default_down_payment_pct=Decimal("0.20")).is_valid()


def test_it_rejects_an_annual_rate_of_one_hundred_percent(kvky):
    assert "annual_rate" in _form(kvky, annual_rate=Decimal("1")).errors


def test_it_normalises_a_channel_number():
    form = ChannelNumberForm(data={"number": "whatsapp:+1 (415) 523-8886"})

    assert form.is_valid()
    assert form.cleaned_data["number"] == "+14155238886"


def test_it_rejects_a_channel_number_too_short_to_be_one():
    assert "number" in ChannelNumberForm(data={"number": "+52 55"}).errors


def test_it_saves_settings_and_a_channel_number_from_the_admin(super_client, kvky):
    url = reverse("admin:conversations_assistant_change", args=[kvky.pk])
    data = {
        **{key: "" if value is None else value for key, value in _data(kvky, name="KVKy MX").items()},
        "channel_numbers-TOTAL_FORMS": "1",
        "channel_numbers-INITIAL_FORMS": "0",
        "channel_numbers-0-number": "+52 55 1234 5678",
    }

    response = super_client.post(url, data)

    assert response.status_code == 302
    kvky.refresh_from_db()
    assert kvky.name == "KVKy MX"
    assert ChannelNumber.objects.get(assistant=kvky).number == "+525512345678"


def _change_post(assistant: Assistant, **changes) -> dict:
    data = {key: "" if value is None else value for key, value in _data(assistant, **changes).items()}
    if data.get("llm_enabled") is False:
        del data["llm_enabled"]  # an unticked checkbox is not posted at all
    return {**data, "channel_numbers-TOTAL_FORMS": "0", "channel_numbers-INITIAL_FORMS": "0"}


def test_it_hides_the_model_settings_from_a_sales_manager(sales_client, kvky):
    response = sales_client.get(reverse("admin:conversations_assistant_change", args=[kvky.pk]))

    assert response.status_code == 200
    assert 'name="llm_model"' not in response.text and 'name="llm_enabled"' not in response.text


def test_it_keeps_the_model_settings_when_a_sales_manager_posts_them(sales_client, kvky):
    url = reverse("admin:conversations_assistant_change", args=[kvky.pk])
    data = _change_post(kvky, name="KVKy MX", llm_model="attacker-model", llm_enabled=False)

    response = sales_client.post(url, {**data, "llm_base_url": "http://127.0.0.1:9/v1"})

    assert response.status_code == 302
    kvky.refresh_from_db()
    assert (kvky.name, kvky.llm_model, kvky.llm_enabled) == ("KVKy MX", "", True)


def test_it_lets_a_superuser_change_the_model_settings(super_client, kvky):
    url = reverse("admin:conversations_assistant_change", args=[kvky.pk])

    response = super_client.post(url, _change_post(kvky, llm_model="llama3.1:8b", llm_enabled=False))

    assert response.status_code == 302
    kvky.refresh_from_db()
    assert (kvky.llm_model, kvky.llm_enabled) == ("llama3.1:8b", False)
