"""The model path end to end: handle_turn → the real openai SDK → the stand-in server → our tools."""

import json

import pytest

from conversations.models import Conversation, Message
from conversations.tests.engine.llm.standin import error, text, tool_call, tool_calls
from conversations.tests.factories import AssistantFactory, FAQFactory, OnboardingAssistantFactory
from financing.calculator import FinancingTerms, financing_plans
from leads.models import Lead

pytestmark = pytest.mark.django_db

OTHER_SENDER = "+5215599999999"


def _bot_message() -> Message:
    return Message.objects.filter(role="bot").latest("id")


def _tool_names(request) -> list[str]:
    return [tool["function"]["name"] for tool in request.body.get("tools", [])]


def test_it_sends_the_model_reply_when_it_is_grounded(llm_on, say, onix):
    llm_on.script(text("¡Hola! Tengo el Chevrolet Onix 2021 en $226,999. ¿Te interesa?"))
    assert say("hola").reply == "¡Hola! Tengo el Chevrolet Onix 2021 en $226,999. ¿Te interesa?"


def test_it_fills_the_vehicles_from_the_search_tool_not_from_the_model_text(llm_on, say, onix, aveo):
    llm_on.script(
        tool_call("search_vehicles", {"make": "chevy", "max_price": 300000}),
        text("Te recomiendo el Chevrolet Onix 2021 en $226,999."),
    )
    result = say("¿tienen chevys de menos de 300 mil?")
    assert [vehicle["stock_id"] for vehicle in result.vehicles] == ["282292", "311726"]
    assert (result.vehicles_total, result.intent) == (2, "search_vehicles")


def test_it_shows_the_model_the_catalog_spelling_of_the_search(llm_on, say, onix):
    llm_on.script(tool_call("search_vehicles", {"make": "chevy"}), text("Tengo 1 opción."))
    say("¿tienen chevys?")
    tool_output = json.loads(llm_on.requests[1].body["messages"][-1]["content"])
    assert tool_output["criteria"] == {"make": "Chevrolet"}


def test_it_takes_the_payments_from_the_calculator(llm_on, say, kvky, onix):
    llm_on.script(
        tool_call("calculate_financing", {"stock_id": "311726", "term_months": 48}),
        text("Con 20% de enganche pagarías $4,605.82 al mes a 48 meses."),
    )
    result = say("¿cuánto pagaría al mes por el onix a 4 años?")
    expected = financing_plans(onix.price, FinancingTerms.from_assistant(kvky), term_months=48, stock_id="311726")
    assert result.financing == [plan.as_dict() for plan in expected]
    assert result.financing[0]["monthly_payment"] == 4605.82


def test_it_completes_the_slots_with_the_vehicle_the_tools_used(llm_on, say, onix):
    llm_on.script(tool_call("calculate_financing", {"stock_id": "311726", "term_months": 60}), text("Listo."))
    result = say("¿y a 5 años?")
    assert {key: result.slots.get(key) for key in ("make", "model", "term_months")} == {
        "make": "Chevrolet",
        "model": "Onix",
        "term_months": 60,
    }


def test_it_sends_the_rules_engine_reading_as_context(llm_on, say, onix):
    llm_on.script(text("¿Con qué enganche?"))
    say("¿cuánto pagaría al mes por el onix a 4 años?")
    contexts = [m["content"] for m in llm_on.requests[0].body["messages"] if m["content"].startswith("Lectura")]
    reading = json.loads(contexts[0].split("\n", 1)[1])
    assert (reading["intent"], reading["slots"]["model"], reading["slots"]["term_months"]) == ("financing", "Onix", 48)


def test_it_sends_the_vehicle_in_focus_as_context(llm_on, say, onix):
    llm_on.script(tool_call("vehicle_details", {"stock_id": "311726"}), text("Es un Chevrolet Onix 2021."))
    say("cuéntame del onix")
    llm_on.script(text("Sí."))
    say("¿tiene bluetooth?")
    context = next(m["content"] for m in llm_on.requests[2].body["messages"] if m["content"].startswith("Lectura"))
    assert '"vehicle_in_focus": {"stock_id": "311726"' in context


def test_it_offers_the_model_the_assistant_term_range(llm_on, say, db):
    assistant = AssistantFactory(slug="corto", min_term_months=12, max_term_months=24)
    llm_on.script(text("¡Hola!"))
    say("hola", assistant=assistant)
    financing = next(t for t in llm_on.requests[0].body["tools"] if t["function"]["name"] == "calculate_financing")
    assert "entre 12 y 24 meses" in financing["function"]["description"]


def test_it_gives_an_onboarding_assistant_only_the_faq_and_handoff_tools(llm_on, say, db):
    blinky = OnboardingAssistantFactory()
    llm_on.script(text("¡Hola! ¿En qué te ayudo?"))
    say("hola", assistant=blinky)
    assert _tool_names(llm_on.requests[0]) == ["search_faq", "human_handoff"]


def test_it_answers_from_the_faq_the_tool_found(llm_on, say, db):
    blinky = OnboardingAssistantFactory()
    faq = FAQFactory(assistant=blinky, question="¿Cuándo me pagan?", answer="La nómina se paga los días 15 y 30.")
    llm_on.script(
        tool_call("search_faq", {"question": "¿cuándo me pagan?"}), text("Te pagan los días 15 y 30 de cada mes.")
    )
    result = say("¿cuándo me pagan?", assistant=blinky)
    assert (result.intent, result.faq) == ("faq", {"id": faq.id, "question": "¿Cuándo me pagan?"})


def test_it_hands_the_conversation_to_staff_when_the_model_asks(llm_on, say, kvky):
    llm_on.script(tool_call("human_handoff", {"reason": "lo pidió"}), text("Te comunico con una persona del equipo."))
    result = say("pásame con alguien")
    assert result.handoff is True
    assert Conversation.objects.get().handoff is True


def test_it_writes_the_lead_with_its_folio_in_the_model_reply(llm_on, say, onix):
    llm_on.script(
        tool_call("create_lead", {"stock_id": "311726"}), text("¡Listo! Registré tu solicitud. Tu folio es [FOLIO].")
    )
    result = say("lo quiero, apártamelo")
    lead = Lead.objects.get()
    assert result.lead == {"folio": lead.folio}
    assert result.reply == f"¡Listo! Registré tu solicitud. Tu folio es {lead.folio}."


def test_it_writes_one_lead_when_the_model_asks_twice(llm_on, say, onix):
    llm_on.script(
        tool_calls(("create_lead", {"stock_id": "311726"}), ("create_lead", {"stock_id": "311726"})),
        text("Tu folio es [FOLIO]."),
    )
    say("lo quiero")
    assert Lead.objects.count() == 1


def test_it_writes_the_lead_once_when_the_model_fails_after_asking_for_it(llm_on, say, onix):
    llm_on.script(tool_call("create_lead", {"stock_id": "311726"}), error(500))
    result = say("lo quiero, apártamelo")
    lead = Lead.objects.get()
    assert lead.folio in result.reply
    assert _bot_message().llm_fallback == "error"


def test_it_ties_the_lead_to_the_plan_the_calculator_gave(llm_on, say, onix):
    llm_on.script(tool_call("calculate_financing", {"stock_id": "311726", "term_months": 48}), text("Listo."))
    say("¿cuánto pagaría por el onix a 48 meses?")
    llm_on.script(tool_call("create_lead", {"stock_id": "311726", "term_months": 48}), text("Folio: [FOLIO]."))
    say("me lo quedo")
    assert Lead.objects.get().plan["monthly_payment"] == 4605.82


def test_it_answers_with_the_rules_engine_when_the_server_fails(llm_on, say, settings, kvky):
    llm_on.script(error(500))
    result = say("hola")
    settings.OPENAI_API_KEYS = []
    assert result.reply == say("hola", sender=OTHER_SENDER).reply


def test_it_records_why_the_rules_engine_answered(llm_on, say, kvky):
    llm_on.script(error(500))
    say("hola")
    assert _bot_message().llm_fallback == "error"


def test_it_restores_the_dialogue_state_before_the_rules_engine_answers(llm_on, say, onix):
    llm_on.script(tool_call("search_vehicles", {"make": "Chevrolet"}), error(500))
    say("hola")
    assert Conversation.objects.get().state["last_results"] == []


def test_it_keeps_the_state_the_tools_left_when_the_model_answers(llm_on, say, onix):
    llm_on.script(tool_call("search_vehicles", {"make": "Chevrolet"}), text("Tengo el Chevrolet Onix 2021."))
    say("¿qué chevrolet tienen?")
    assert Conversation.objects.get().state["last_results"] == ["311726"]


def test_it_gives_one_plan_per_year_when_the_model_names_no_term(llm_on, say, onix):
    llm_on.script(tool_call("calculate_financing", {"stock_id": "311726"}), text("Te paso los planes."))
    result = say("¿cuánto pagaría por el onix?")
    assert [plan["term_months"] for plan in result.financing] == [36, 48, 60, 72]
