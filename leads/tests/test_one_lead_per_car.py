"""One lead per car per conversation: asking for the same car again, in sequence or in a race, keeps one folio."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor

from catalog.tests.factories import VehicleFactory
from conversations.engine.dialogue import PendingWrites
from conversations.engine.result import TurnResult
from conversations.services import handle_turn, pending_writes_apply
from conversations.tests.factories import AssistantFactory, ConversationFactory
from leads.models import Lead
from leads.services import lead_draft, lead_record
from leads.tests.factories import LeadFactory
from nlu.state import DialogueState

SENDER = "+5215500000001"


@pytest.fixture
def onix():
    return VehicleFactory(stock_id="1001", make="Chevrolet", model="Onix", year=2021, price=Decimal("226999"))


def say(assistant, text: str) -> TurnResult:
    return handle_turn(assistant=assistant, sender=SENDER, text=text, channel="api")


@pytest.mark.django_db
def test_it_answers_a_second_lo_quiero_for_the_same_car_with_the_first_folio(onix):
    kvky = AssistantFactory()
    say(kvky, "¿tienen onix?")
    first = say(kvky, "lo quiero")
    second = say(kvky, "lo quiero")
    assert Lead.objects.count() == 1
    assert second.lead == first.lead == {"folio": Lead.objects.get().folio}
    assert "ya estaba registrada" in second.reply and first.lead["folio"] in second.reply


@pytest.mark.django_db
def test_it_keeps_one_lead_when_two_turns_for_the_same_car_decided_before_either_wrote(onix):
    # Two simultaneous "lo quiero": both turns drafted their lead before either transaction wrote.
    conversation = ConversationFactory()
    drafts = [lead_draft(assistant=conversation.assistant, conversation=conversation, vehicle=onix) for _ in range(2)]
    results = [TurnResult(reply=f"Tu folio es {draft.folio}.", intent="create_lead") for draft in drafts]
    for draft, result in zip(drafts, results, strict=True):
        pending_writes_apply(PendingWrites(lead=draft), result, DialogueState())
    lead = Lead.objects.get()
    assert lead.folio == drafts[0].folio
    assert [result.reply for result in results] == [f"Tu folio es {lead.folio}."] * 2


@pytest.mark.django_db
def test_it_returns_the_existing_lead_when_the_database_refuses_a_second_one_for_the_car(onix):
    conversation = ConversationFactory()
    first = lead_record(lead_draft(assistant=conversation.assistant, conversation=conversation, vehicle=onix))
    second = lead_record(lead_draft(assistant=conversation.assistant, conversation=conversation, vehicle=onix))
    assert second.pk == first.pk


@pytest.mark.django_db
def test_it_refuses_a_second_lead_for_the_same_car_and_conversation_in_the_database(onix):
    first = LeadFactory(vehicle=onix)
    with pytest.raises(IntegrityError):
        LeadFactory(vehicle=onix, conversation=first.conversation, assistant=first.assistant)


@pytest.mark.django_db(transaction=True)
def test_it_migrates_duplicate_leads_keeping_the_car_on_the_oldest(onix):
    executor = MigrationExecutor(connection)
    executor.migrate([("leads", "0001_initial")])
    old = executor.loader.project_state([("leads", "0001_initial")]).apps
    OldLead = old.get_model("leads", "Lead")
    conversation = ConversationFactory()
    for folio in ("KVK-AAAA-AAAA", "KVK-BBBB-BBBB"):
        OldLead.objects.create(
            folio=folio, assistant_id=conversation.assistant_id, conversation_id=conversation.pk, vehicle_id=onix.pk
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    oldest, later = Lead.objects.order_by("created_at", "pk")
    assert (oldest.folio, oldest.vehicle_id) == ("KVK-AAAA-AAAA", onix.pk)
    assert (later.folio, later.vehicle_id) == ("KVK-BBBB-BBBB", None)
    assert "KVK-AAAA-AAAA" in later.notes
