"""The intents' and slots' Spanish names, the one mapping the back office shows in filters, charts and transcripts."""

from conversations.models import Intent, Slot, intent_label, slot_label
from nlu.intents import INTENTS


def test_it_gives_every_intent_of_the_engine_a_spanish_name():
    assert set(Intent.values) == set(INTENTS)


def test_it_shows_an_unknown_intent_as_stored():
    assert (intent_label("create_lead"), intent_label("old_intent")) == ("Registro de prospecto", "old_intent")


def test_it_names_the_contract_s_slots_in_spanish():
    assert (slot_label("max_price"), slot_label("term_months"), slot_label("extra")) == (
        "precio máximo",
        "plazo (meses)",
        "extra",
    )
    assert "make" in Slot.values
