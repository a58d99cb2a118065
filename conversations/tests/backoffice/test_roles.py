"""Roles: sales managers work with the catalog, leads and sales transcripts; HR staff with onboarding FAQs
and transcripts. Each is refused the other's data both in lists and at detail URLs."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from catalog.tests.factories import VehicleFactory
from conversations.backoffice.roles import HR_STAFF, SALES_MANAGERS
from conversations.tests.backoffice.users import StaffUserFactory, logged_in
from conversations.tests.factories import ConversationFactory, FAQFactory
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


def _change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_it_creates_the_role_groups_with_their_permissions():
    sales = set(Group.objects.get(name=SALES_MANAGERS).permissions.values_list("codename", flat=True))
    hr = set(Group.objects.get(name=HR_STAFF).permissions.values_list("codename", flat=True))

    assert {"add_vehicle", "change_vehicle", "view_lead", "change_lead", "view_conversation", "change_faq"} <= sales
    assert {"view_conversation", "change_conversation", "add_faq", "change_faq", "delete_faq"} <= hr
    assert not {codename for codename in hr if codename.endswith(("_lead", "_vehicle"))}


def test_it_refuses_the_leads_list_to_hr_staff(hr_client):
    assert hr_client.get(reverse("admin:leads_lead_changelist")).status_code == 403


def test_it_refuses_a_lead_detail_url_to_hr_staff(hr_client, kvky):
    lead = LeadFactory(assistant=kvky)

    assert hr_client.get(_change_url(lead)).status_code == 403


def test_it_refuses_the_leads_export_to_hr_staff(hr_client):
    assert hr_client.get(reverse("admin:leads_lead_export")).status_code == 403


def test_it_refuses_the_catalog_to_hr_staff(hr_client):
    assert hr_client.get(reverse("admin:catalog_vehicle_changelist")).status_code == 403


def test_it_refuses_the_catalog_import_to_hr_staff(hr_client):
    assert hr_client.get(reverse("admin:catalog_vehicle_import")).status_code == 403


def test_it_lists_only_onboarding_transcripts_to_hr_staff(hr_client, kvky, blinky):
    ConversationFactory(assistant=kvky, sender="+5215500000001")
    ConversationFactory(assistant=blinky, sender="+5215500000002")

    page = hr_client.get(reverse("admin:conversations_conversation_changelist"))

    assert page.status_code == 200
    assert "+525500000002" in page.text
    assert "+525500000001" not in page.text


def test_it_refuses_a_sales_transcript_detail_url_to_hr_staff(hr_client, kvky):
    conversation = ConversationFactory(assistant=kvky)

    assert hr_client.get(_change_url(conversation)).status_code == 403


def test_it_shows_an_onboarding_transcript_to_hr_staff(hr_client, blinky):
    conversation = ConversationFactory(assistant=blinky)

    assert hr_client.get(_change_url(conversation)).status_code == 200


def test_it_refuses_an_onboarding_transcript_detail_url_to_sales_managers(sales_client, blinky):
    conversation = ConversationFactory(assistant=blinky)

    assert sales_client.get(_change_url(conversation)).status_code == 403


def test_it_lists_only_sales_faqs_to_sales_managers(sales_client, kvky, blinky):
    FAQFactory(assistant=kvky, question="¿Tienen garantía?")
    FAQFactory(assistant=blinky, question="¿Cuándo me pagan?")

    page = sales_client.get(reverse("admin:conversations_faq_changelist"))

    assert "¿Tienen garantía?" in page.text
    assert "¿Cuándo me pagan?" not in page.text


def test_it_refuses_an_onboarding_faq_detail_url_to_sales_managers(sales_client, blinky):
    faq = FAQFactory(assistant=blinky)

    assert sales_client.get(_change_url(faq)).status_code == 403


def test_it_refuses_the_sales_assistant_settings_to_hr_staff(hr_client, kvky):
    assert hr_client.get(_change_url(kvky)).status_code == 403


def test_it_opens_the_catalog_and_leads_to_sales_managers(sales_client, kvky):
    VehicleFactory()
    lead = LeadFactory(assistant=kvky)

    assert sales_client.get(reverse("admin:catalog_vehicle_changelist")).status_code == 200
    assert sales_client.get(_change_url(lead)).status_code == 200


def test_it_shows_no_assistant_data_to_staff_without_a_role(kvky):
    ConversationFactory(assistant=kvky, sender="+5215500000003")
    user = StaffUserFactory(username="sinrol")
    user.user_permissions.add(*Group.objects.get(name=SALES_MANAGERS).permissions.all())

    page = logged_in(user).get(reverse("admin:conversations_conversation_changelist"))

    assert "+525500000003" not in page.text


def test_it_answers_404_for_a_conversation_that_does_not_exist(super_client):
    url = reverse("admin:conversations_conversation_change", args=["6f1c1d7e-0000-4000-8000-000000000000"])

    assert super_client.get(url).status_code == 404
