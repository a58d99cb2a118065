import itertools
import re

import pytest
from django.db import IntegrityError

from catalog.tests.factories import VehicleFactory
from conversations.models import Channel
from conversations.tests.factories import AssistantFactory, ConversationFactory
from leads.models import Lead
from leads.services import (
    FOLIO_ALPHABET,
    FolioExhausted,
    create_with_unique_folio,
    lead_create,
    lead_draft,
    lead_record,
    new_folio,
)
from leads.tests.factories import LeadFactory

FOLIO_PATTERN = re.compile(r"^KVK-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$")


# --- new_folio -----------------------------------------------------------------


def test_it_formats_a_folio_as_prefix_and_two_groups_of_four():
    assert FOLIO_PATTERN.match(new_folio("KVK"))


def test_it_leaves_ambiguous_characters_out_of_the_alphabet():
    assert not set("0O1IL") & set(FOLIO_ALPHABET)


def test_it_draws_different_folios_each_time():
    assert len({new_folio("KVK") for _ in range(200)}) == 200


def test_it_uses_every_character_of_the_alphabet_over_many_folios():
    drawn = set("".join(new_folio("") for _ in range(500)).replace("-", ""))
    assert drawn == set(FOLIO_ALPHABET)


def test_it_omits_the_dash_without_a_prefix():
    assert re.match(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$", new_folio(" "))


# --- lead_create -----------------------------------------------------------------


@pytest.mark.django_db
def test_it_records_a_lead_with_a_folio_of_the_assistants_prefix():
    lead = lead_create(assistant=AssistantFactory(folio_prefix="KVK"))
    assert FOLIO_PATTERN.match(Lead.objects.get(pk=lead.pk).folio)


@pytest.mark.django_db
def test_it_labels_the_vehicle_with_make_model_year_and_stock_id():
    vehicle = VehicleFactory(stock_id="311726", make="Chevrolet", model="Onix", year=2021)
    lead = lead_create(assistant=AssistantFactory(), vehicle=vehicle)
    assert (lead.vehicle, lead.vehicle_label) == (vehicle, "Chevrolet Onix 2021 (311726)")


@pytest.mark.django_db
def test_it_stores_the_plan_and_the_customers_words():
    plan = {"stock_id": "311726", "term_months": 48, "monthly_payment": 4605.82}
    lead = lead_create(assistant=AssistantFactory(), plan=plan, request="  lo quiero  ")
    lead.refresh_from_db()
    assert (lead.plan, lead.request) == (plan, "lo quiero")


@pytest.mark.django_db
def test_it_ties_the_lead_to_the_conversation():
    conversation = ConversationFactory()
    lead = lead_create(assistant=conversation.assistant, conversation=conversation)
    assert list(conversation.leads.all()) == [lead]


@pytest.mark.django_db
def test_it_takes_the_phone_and_name_from_a_whatsapp_conversation():
    conversation = ConversationFactory(channel=Channel.WHATSAPP, sender="+5215512345678", profile_name="Ana")
    lead = lead_create(assistant=conversation.assistant, conversation=conversation)
    assert (lead.customer_phone, lead.customer_name) == ("+525512345678", "Ana")


@pytest.mark.django_db
def test_it_prefers_the_phone_and_name_given():
    conversation = ConversationFactory(sender="+5215512345678", profile_name="Ana")
    lead = lead_create(
        assistant=conversation.assistant,
        conversation=conversation,
        customer_phone="+5215599999999",
        customer_name="Bea",
    )
    assert (lead.customer_phone, lead.customer_name) == ("+525599999999", "Bea")


@pytest.mark.django_db
def test_it_does_not_store_a_web_session_key_as_a_phone():
    conversation = ConversationFactory(channel=Channel.WEB, sender="k3l9sessionkey")
    lead = lead_create(assistant=conversation.assistant, conversation=conversation, customer_phone="k3l9sessionkey")
    assert lead.customer_phone == ""


@pytest.mark.django_db
def test_it_cuts_a_long_request_to_the_field_size():
    lead = lead_create(assistant=AssistantFactory(), request="quiero " * 100)
    assert len(lead.request) == 300


@pytest.mark.django_db
def test_it_gives_every_lead_its_own_folio():
    assistant = AssistantFactory()
    folios = {lead_create(assistant=assistant).folio for _ in range(30)}
    assert len(folios) == 30


# --- collisions --------------------------------------------------------------------


@pytest.mark.django_db
def test_it_retries_with_a_new_folio_when_one_is_taken():
    taken = LeadFactory(folio="KVK-AAAA-AAAA")
    folios = iter(["KVK-AAAA-AAAA", "KVK-BBBB-BBBB"])
    lead = create_with_unique_folio(
        {"assistant": taken.assistant}, prefix="KVK", make_folio=lambda _prefix: next(folios)
    )
    assert lead.folio == "KVK-BBBB-BBBB"
    assert Lead.objects.count() == 2


@pytest.mark.django_db
def test_it_gives_up_after_every_attempt_collides():
    taken = LeadFactory(folio="KVK-AAAA-AAAA")
    with pytest.raises(FolioExhausted):
        create_with_unique_folio({"assistant": taken.assistant}, prefix="KVK", make_folio=lambda _prefix: taken.folio)


@pytest.mark.django_db
def test_it_asks_for_a_fresh_folio_on_each_attempt():
    taken = LeadFactory(folio="KVK-AAAA-AAAA")
    calls = itertools.count(1)

    def always_taken(_prefix: str) -> str:
        next(calls)
        return taken.folio

    with pytest.raises(FolioExhausted):
        create_with_unique_folio({"assistant": taken.assistant}, prefix="KVK", make_folio=always_taken, attempts=3)
    assert next(calls) == 4


@pytest.mark.django_db
def test_it_does_not_retry_when_another_constraint_fails():
    # A missing assistant breaks a NOT NULL constraint, not the folio's uniqueness.
    with pytest.raises(IntegrityError):
        create_with_unique_folio({"assistant_id": None}, prefix="KVK")


# --- drafts: folio first, row later ------------------------------------------------


@pytest.mark.django_db
def test_it_drafts_a_lead_without_writing_it():
    draft = lead_draft(assistant=AssistantFactory(folio_prefix="KVK"), request="lo quiero")
    assert draft.folio.startswith("KVK-")
    assert Lead.objects.count() == 0


@pytest.mark.django_db
def test_it_records_a_draft_under_the_folio_it_drew():
    draft = lead_draft(assistant=AssistantFactory(), request="lo quiero")
    lead = lead_record(draft)
    assert (lead.folio, lead.request) == (draft.folio, "lo quiero")


@pytest.mark.django_db
def test_it_records_a_draft_under_a_fresh_folio_when_its_own_was_taken_meanwhile():
    assistant = AssistantFactory(folio_prefix="KVK")
    draft = lead_draft(assistant=assistant)
    LeadFactory(assistant=assistant, folio=draft.folio)
    lead = lead_record(draft)
    assert lead.folio != draft.folio and lead.folio.startswith("KVK-")
    assert Lead.objects.count() == 2
