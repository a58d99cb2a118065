"""The grounding guard: figures and cars in a model's reply must come from the turn's facts or the catalog."""

from decimal import Decimal

import pytest

from catalog.tests.factories import VehicleFactory
from conversations.engine.llm.grounding import Facts, check_reply
from conversations.engine.llm.prompt import SALES_INSTRUCTIONS
from conversations.models import Message
from conversations.tests.engine.llm.standin import text, tool_call

ONIX_CARD = {"stock_id": "311726", "make": "Chevrolet", "model": "Onix", "year": 2021, "km": "28,430", "price": 226999}
PLAN = {"term_months": 48, "monthly_payment": "$4,605.82", "down_payment": "$45,399.80", "annual_rate": "10%"}


def _facts(*outputs) -> Facts:
    facts = Facts()
    facts.absorb(list(outputs))
    return facts


def _checks(reply: str, facts: Facts | None = None, *, user_text: str = "", folio: str | None = None) -> list[str]:
    events = check_reply(
        reply,
        facts=facts or _facts({"vehicles": [ONIX_CARD], "plans": [PLAN]}),
        user_text=user_text,
        instructions=SALES_INSTRUCTIONS,
        folio=folio,
        sales=True,
    )
    return [event.check for event in events]


@pytest.fixture
def catalog(db):
    """The catalog behind the guard's last resort: one car nobody asked about this turn."""
    return VehicleFactory(stock_id="900001", make="Mazda", model="Mazda 3", year=2019, km=51000, price=Decimal(289900))


def test_it_accepts_a_price_from_the_tool_results(catalog):
    assert _checks("El Chevrolet Onix 2021 cuesta $226,999.") == []


def test_it_accepts_a_payment_with_cents_from_the_calculator(catalog):
    assert _checks("Pagarías $4,605.82 al mes con $45,399.80 de enganche.") == []


def test_it_accepts_a_price_written_as_precisely_as_it_is_rounded(catalog):
    assert _checks("El Onix anda en unos 227 mil pesos.") == []


def test_it_rejects_an_invented_price(catalog):
    assert _checks("El Onix cuesta $189,000.") == ["money"]


def test_it_rejects_an_invented_payment(catalog):
    assert _checks("Pagarías $3,999.00 al mes.") == ["money"]


def test_it_rejects_a_payment_off_by_a_few_cents(catalog):
    assert _checks("Pagarías $4,605.90 al mes.") == ["money"]


def test_it_accepts_a_price_from_the_catalog(catalog):
    assert _checks("También está el Mazda 3 2019 en $289,900.") == []


def test_it_rejects_a_year_neither_the_tools_nor_the_catalog_have(catalog):
    assert _checks("El Onix es modelo 2024.") == ["year"]


def test_it_accepts_the_kilometres_the_tools_gave(catalog):
    assert _checks("Tiene 28,430 km.") == []


def test_it_rejects_invented_kilometres(catalog):
    assert _checks("Tiene solo 12,345 km.") == ["km"]


def test_it_accepts_the_rate_the_calculator_used(catalog):
    assert _checks("La tasa anual es de 10%.") == []


def test_it_rejects_an_invented_rate(catalog):
    assert _checks("Te lo dejo con tasa de 0%.") == ["percent"]


def test_it_ignores_counts_and_terms(catalog):
    assert _checks("Tengo 3 opciones a 48 meses o 4 años.") == []


def test_it_rejects_a_make_the_catalog_lacks(catalog):
    assert set(_checks("También tenemos un Tesla Model 3 en oferta.")) == {"make_model"}


def test_it_accepts_a_missing_make_the_customer_asked_for(catalog):
    assert _checks("No tenemos Tesla por ahora.", user_text="¿tienen tesla?") == []


def test_it_rejects_a_reply_that_echoes_the_instructions(catalog):
    echo = "Mis instrucciones: ofrece solo autos que aparezcan en los resultados de tus herramientas."
    assert _checks(echo) == ["prompt_echo"]


def test_it_rejects_a_lead_reply_without_the_folio(catalog):
    assert _checks("¡Listo! Ya quedó tu solicitud.", folio="[FOLIO]") == ["missing_folio"]


def test_it_rejects_an_empty_reply(catalog):
    assert _checks("  ") == ["empty"]


def test_it_grounds_figures_of_an_faq_answer(catalog):
    facts = _facts({"answer": "El apartado es de $5,000 y se reembolsa."})
    assert _checks("Para apartarlo se dejan $5,000, reembolsables.", facts) == []


@pytest.mark.django_db
def test_it_replaces_a_reply_with_an_invented_price_by_the_rules_reply(llm_on, say, settings, onix):
    llm_on.script(tool_call("search_vehicles", {"model": "Onix"}), text("El Onix 2021 te sale en $189,000."))
    result = say("¿cuánto cuesta el onix?")
    settings.OPENAI_API_KEYS = []
    assert result.reply == say("¿cuánto cuesta el onix?", sender="+5215599999999").reply


@pytest.mark.django_db
def test_it_stores_the_grounding_event_on_the_message(llm_on, say, onix):
    llm_on.script(tool_call("search_vehicles", {"model": "Onix"}), text("El Onix 2021 te sale en $189,000."))
    say("¿cuánto cuesta el onix?")
    message = Message.objects.filter(role="bot").get()
    assert message.llm_fallback == "grounding"
    assert [(event["check"], event["value"]) for event in message.grounding_events] == [("money", "$189,000")]


@pytest.mark.django_db
def test_it_accepts_a_payment_the_calculator_gave_earlier_in_the_conversation(llm_on, say, onix):
    llm_on.script(tool_call("calculate_financing", {"stock_id": "311726", "term_months": 48}), text("Listo."))
    say("¿cuánto pagaría por el onix a 48 meses?")
    llm_on.script(text("Sí, son $4,605.82 al mes a 48 meses."))
    assert say("¿me repites la mensualidad?").reply == "Sí, son $4,605.82 al mes a 48 meses."


@pytest.mark.django_db
def test_it_rejects_a_price_the_customer_made_up(llm_on, say, onix):
    llm_on.script(text("Sí, el Chevrolet Onix 2021 cuesta $100,000."))
    result = say("el onix cuesta 100 mil, ¿verdad? confírmamelo")
    assert result.reply != "Sí, el Chevrolet Onix 2021 cuesta $100,000."
    assert Message.objects.filter(role="bot").get().llm_fallback == "grounding"
