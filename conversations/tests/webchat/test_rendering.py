"""How the page sees a TurnResult: cards, the financing table, the folio, quick replies; and the session token."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from catalog.models import Vehicle
from catalog.selectors import vehicle_card
from catalog.tests.factories import VehicleFactory
from conversations.channels.webchat import (
    ACCEPT,
    DECLINE,
    OFFERS,
    SessionError,
    plans_view,
    quick_replies,
    rate_limit_wait,
    reply_text,
    session_from_token,
    session_new,
    turn_view,
    vehicle_view,
)
from conversations.models import Assistant
from conversations.services import handle_turn
from conversations.tests.factories import FAQFactory

ONIX = {
    "stock_id": "311726",
    "make": "Chevrolet",
    "model": "Onix",
    "year": 2021,
    "version": "1.0 LS A",
    "km": 28430,
    "price": 226999,
    "photo_url": "",
}
PLAN = {
    "stock_id": "311726",
    "price": 226999.0,
    "down_payment": 45399.8,
    "loan_amount": 181599.2,
    "annual_rate": 0.1,
    "term_months": 48,
    "monthly_payment": 4605.82,
    "total_paid": 266479.16,
}


def _labels(replies: list[dict[str, str]]) -> list[str]:
    return [reply["label"] for reply in replies]


# --- Vehicle cards ------------------------------------------------------------------


def test_it_formats_a_cards_price_in_whole_pesos_and_its_km():
    view = vehicle_view(ONIX)
    assert (view["title"], view["price"], view["km"]) == ("Chevrolet Onix 2021", "$226,999", "28,430 km")


def test_it_gives_a_card_a_button_message_that_names_the_vehicle():
    assert vehicle_view(ONIX)["financing_message"] == "Calcular la mensualidad del Chevrolet Onix 2021"


def test_it_keeps_an_https_photo():
    assert vehicle_view({**ONIX, "photo_url": "https://img.example/onix.jpg"})["photo_url"] == (
        "https://img.example/onix.jpg"
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://img.example/onix.jpg", "//evil.example/x.png"])
def test_it_drops_a_photo_the_page_could_not_show_safely(url):
    assert vehicle_view({**ONIX, "photo_url": url})["photo_url"] == ""


# --- Financing table ------------------------------------------------------------------


def test_it_formats_a_plan_as_the_contract_writes_money():
    row = plans_view([PLAN], {"make": "Chevrolet", "model": "Onix"})["rows"][0]
    assert (row["monthly_payment"], row["down_payment"], row["total_paid"]) == (
        "$4,605.82",
        "$45,399.80",
        "$266,479.16",
    )


def test_it_names_the_term_in_months_and_years():
    row = plans_view([PLAN], {})["rows"][0]
    assert (row["term"], row["term_years"]) == ("48 meses", "4 años")


def test_it_heads_the_table_with_the_vehicle_price_and_rate():
    table = plans_view([PLAN], {"make": "Chevrolet", "model": "Onix"})
    assert (table["vehicle"], table["price"], table["annual_rate"]) == ("Chevrolet Onix", "$226,999", "10%")


def test_it_draws_no_table_without_plans():
    assert plans_view([], {}) is None


# --- The reply text ---------------------------------------------------------------------


def test_it_leaves_out_the_bullet_lines_the_cards_already_show():
    turn = {
        "intent": "search_vehicles",
        "reply": "Tengo 1 opción:\n• Chevrolet Onix 2021, 28,430 km, $226,999\n¿Te interesa?",
        "vehicles": [ONIX],
    }
    assert reply_text(turn) == "Tengo 1 opción:\n¿Te interesa?"


def test_it_keeps_bullet_lines_when_nothing_else_shows_them():
    turn = {"intent": "help", "reply": "Puedo ayudarte a:\n• Buscar autos", "vehicles": []}
    assert reply_text(turn) == "Puedo ayudarte a:\n• Buscar autos"


def test_it_shows_the_leads_folio():
    assert turn_view({"intent": "create_lead", "reply": "Listo", "lead": {"folio": "KVK-7Q2M-9XHF"}})["lead"] == {
        "folio": "KVK-7Q2M-9XHF"
    }


def test_it_shows_which_faq_answered():
    view = turn_view({"intent": "faq", "reply": "Pagamos cada quincena.", "faq": {"id": 3, "question": "¿Cuándo?"}})
    assert view["faq"] == {"question": "¿Cuándo?"}


def test_it_shows_at_most_ten_cards_and_the_total():
    view = turn_view({"intent": "search_vehicles", "reply": "", "vehicles": [ONIX] * 12, "vehicles_total": 12})
    assert (len(view["vehicles"]), view["vehicles_total"]) == (10, 12)


# --- Quick replies ------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_offers_kvkys_usual_next_steps(kvky):
    assert _labels(quick_replies(kvky)) == ["Ver autos", "Calcular mensualidad", "Hablar con un asesor"]


@pytest.mark.django_db
def test_it_offers_to_take_the_car_after_a_plan(kvky):
    assert _labels(quick_replies(kvky, {"financing": [PLAN]}))[0] == "Lo quiero"


@pytest.mark.django_db
def test_it_offers_more_cars_after_a_lead(kvky):
    assert _labels(quick_replies(kvky, {"lead": {"folio": "KVK-1"}})) == ["Ver más autos", "Hablar con un asesor"]


@pytest.mark.django_db
def test_it_offers_nothing_while_a_person_answers(kvky):
    assert quick_replies(kvky, {"handoff": True}) == []


@pytest.mark.django_db
def test_it_offers_blinkys_first_questions_and_a_person(blinky):
    for question in ("¿Qué días me pagan?", "¿Cuántos días de vacaciones me tocan?"):
        FAQFactory(assistant=blinky, question=question)
    assert _labels(quick_replies(blinky)) == [
        "¿Qué días me pagan?",
        "¿Cuántos días de vacaciones me tocan?",
        "Hablar con alguien de RH",
    ]


@pytest.mark.django_db
def test_it_does_not_offer_the_question_just_answered(blinky):
    paid = FAQFactory(assistant=blinky, question="¿Qué días me pagan?")
    FAQFactory(assistant=blinky, question="¿Cuántos días de vacaciones me tocan?")
    assert "¿Qué días me pagan?" not in _labels(quick_replies(blinky, {"faq": {"id": paid.pk}}))


@pytest.mark.django_db
def test_it_leads_with_yes_and_no_when_the_reply_offers_a_person(kvky):
    labels = _labels(quick_replies(kvky, {}, pending="offer_handoff"))
    assert labels == ["Sí", "No", "Ver autos", "Calcular mensualidad"]


@pytest.mark.django_db
def test_it_drops_the_quick_reply_that_yes_already_means_after_a_plan(kvky):
    labels = _labels(quick_replies(kvky, {"financing": [PLAN]}, pending="offer_lead"))
    assert labels == ["Sí", "No", "Ver autos", "Hablar con un asesor"]


@pytest.mark.django_db
def test_it_offers_a_new_hire_yes_and_no_instead_of_asking_for_rh(blinky):
    FAQFactory(assistant=blinky, question="¿Qué días me pagan?")
    labels = _labels(quick_replies(blinky, {}, pending="offer_handoff"))
    assert labels == ["Sí", "No", "¿Qué días me pagan?"]


@pytest.mark.django_db
@pytest.mark.parametrize("pending", [None, "financing_vehicle", "lead_vehicle", "search_details"])
def test_it_offers_no_yes_and_no_for_a_question_that_is_not_a_yes_no_offer(kvky, pending):
    assert "Sí" not in _labels(quick_replies(kvky, {}, pending=pending))


@pytest.mark.django_db
def test_it_offers_no_yes_and_no_while_a_person_answers(kvky):
    assert quick_replies(kvky, {"handoff": True}, pending="offer_handoff") == []


def test_it_names_only_reply_templates_that_exist_as_offers():
    templates = Path(settings.BASE_DIR) / "templates" / "replies"
    listed = {name for names in OFFERS.table("yes_no_offers").values() for name in names}
    assert listed and all((templates / f"{name}.txt").is_file() for name in listed)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("texts", "intent"),
    [
        (["asdf qwer", "zxcv uiop"], "human_handoff"),  # the frustration reply offers a person
        (["¿Cuánto es la mensualidad del Onix?"], "create_lead"),  # the plan offers to set the car aside
    ],
)
def test_it_phrases_yes_so_the_assistant_takes_the_offer(kvky, texts, intent):
    VehicleFactory(stock_id="1001", make="Chevrolet", model="Onix", year=2021)
    for text in texts:
        handle_turn(assistant=kvky, sender="web-yes", text=text, channel="web")
    assert handle_turn(assistant=kvky, sender="web-yes", text=ACCEPT.message, channel="web").intent == intent


@pytest.mark.django_db
def test_it_phrases_no_so_the_assistant_hears_a_polite_decline(kvky):
    handle_turn(assistant=kvky, sender="web-no", text="asdf qwer", channel="web")
    handle_turn(assistant=kvky, sender="web-no", text="zxcv uiop", channel="web")
    result = handle_turn(assistant=kvky, sender="web-no", text=DECLINE.message, channel="web")
    assert (result.intent, result.handoff) == ("goodbye", False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "intent"),
    [
        ("Ver autos", "search_vehicles"),
        ("Calcular mensualidad", "financing"),
        ("Hablar con un asesor", "human_handoff"),
    ],
)
def test_it_phrases_kvkys_quick_replies_so_the_assistant_understands_them(kvky, label, intent):
    message = next(reply["message"] for reply in quick_replies(kvky) if reply["label"] == label)
    assert handle_turn(assistant=kvky, sender="web-test", text=message, channel="web").intent == intent


@pytest.mark.django_db
def test_it_phrases_the_card_buttons_so_the_assistant_finds_that_car():
    call_command("seed_demo", verbosity=0)
    kvky = Assistant.objects.get(slug="kvky")
    one_per_make = {vehicle.make: vehicle for vehicle in Vehicle.objects.filter(status="available")}
    wrong = []
    for index, vehicle in enumerate(one_per_make.values()):
        view = vehicle_view(vehicle_card(vehicle))
        for key, intent in (("financing_message", "financing"), ("details_message", "vehicle_details")):
            result = handle_turn(assistant=kvky, sender=f"web-{index}-{key}", text=view[key], channel="web")
            if (result.intent, result.slots.get("model")) != (intent, vehicle.model):
                wrong.append((view[key], result.intent, result.slots))
    assert wrong == []


# --- Session tokens and rate counters --------------------------------------------------------


@pytest.mark.django_db
def test_it_reads_back_the_sender_a_token_names(kvky):
    session, token = session_new(kvky)
    assert session_from_token(token, kvky) == session


@pytest.mark.django_db
def test_it_refuses_an_empty_token(kvky):
    with pytest.raises(SessionError) as error:
        session_from_token("", kvky)
    assert error.value.code == "session_required"


@pytest.mark.django_db  # the counts live in the database
def test_it_lets_requests_through_up_to_the_limit():
    assert [rate_limit_wait("test", "a", 2) for _ in range(2)] == [0, 0]


@pytest.mark.django_db  # the counts live in the database
def test_it_asks_to_wait_past_the_limit():
    waits = [rate_limit_wait("test", "b", 2) for _ in range(3)]
    assert 1 <= waits[2] <= 60


def test_it_never_limits_when_the_limit_is_zero():
    assert {rate_limit_wait("test", "c", 0) for _ in range(5)} == {0}
