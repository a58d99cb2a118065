"""Lead phones are stored in E.164, however the bot, the admin or a customer wrote them."""

import importlib

import pytest
from django.apps import apps

from leads.models import Lead
from leads.services import lead_set_contact
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

LEAD_PHONES_TO_E164 = importlib.import_module("leads.migrations.0003_phone_e164").lead_phones_to_e164


def test_it_stores_the_phone_a_web_customer_gives_in_e164():
    lead = LeadFactory(customer_phone="")

    lead_set_contact(lead.folio, phone="(55) 1234 9878")

    lead.refresh_from_db()
    assert lead.customer_phone == "+525512349878"


def test_it_stores_a_phone_typed_in_the_back_office_in_e164():
    lead = LeadFactory(customer_phone="")
    lead.customer_phone = "52-55-1234-9876"

    lead.save()

    lead.refresh_from_db()
    assert lead.customer_phone == "+525512349876"


def test_it_migrates_stored_lead_phones_to_e164_and_leaves_what_is_not_a_phone():
    phone, other = LeadFactory(), LeadFactory()
    Lead.objects.filter(pk=phone.pk).update(customer_phone="+52 1 55 1234 9876")
    Lead.objects.filter(pk=other.pk).update(customer_phone="pregunta por Luis")

    LEAD_PHONES_TO_E164(apps, None)

    phones = dict(Lead.objects.values_list("pk", "customer_phone"))
    assert (phones[phone.pk], phones[other.pk]) == ("+525512349876", "pregunta por Luis")
