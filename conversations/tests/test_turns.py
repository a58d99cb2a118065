"""A conversation through handle_turn: the engine, the tools and the state together, on factory data."""

from decimal import Decimal

import pytest

from catalog.tests.factories import VehicleFactory
from catalog.vocabulary import get_vocabulary
from conversations.engine.dialogue import PendingWrites, TurnContext, decide
from conversations.engine.result import TurnResult
from conversations.models import Conversation, Message
from conversations.services import DuplicateMessage, conversation_release, handle_turn, pending_writes_apply
from conversations.tests.factories import AssistantFactory, FAQFactory, OnboardingAssistantFactory
from leads.models import Lead
from leads.services import lead_draft
from leads.tests.factories import LeadFactory
from nlu.pipeline import understand
from nlu.state import DialogueState

pytestmark = pytest.mark.django_db


@pytest.fixture
def kvky():
    return AssistantFactory()


@pytest.fixture
def catalog():
    return {
        "onix": VehicleFactory(stock_id="1001", make="Chevrolet", model="Onix", year=2021, price=Decimal("226999")),
        "aveo_old": VehicleFactory(stock_id="1002", make="Chevrolet", model="Aveo", year=2016, price=Decimal("150000")),
        "aveo_new": VehicleFactory(stock_id="1003", make="Chevrolet", model="Aveo", year=2019, price=Decimal("190000")),
        "tracker": VehicleFactory(
            stock_id="1004", make="Chevrolet", model="Tracker", year=2022, price=Decimal("389999"), body_type="suv"
        ),
        "jetta": VehicleFactory(
            stock_id="1005", make="Volkswagen", model="Jetta", year=2019, price=Decimal("289999"), car_play=True
        ),
        "sold": VehicleFactory(
            stock_id="1006", make="Chevrolet", model="Onix", year=2022, price=Decimal("199999"), status="sold"
        ),
    }


class Chat:
    def __init__(self, assistant, sender="+5215500000001"):
        self.assistant, self.sender = assistant, sender

    def say(self, text, **kwargs):
        return handle_turn(assistant=self.assistant, sender=self.sender, text=text, channel="api", **kwargs)


def test_it_asks_for_budget_and_type_on_a_vague_request(kvky, catalog):
    result = Chat(kvky).say("necesito un carro")
    assert result.intent == "search_vehicles"
    assert result.vehicles == []
    assert "presupuesto" in result.reply and "tipo" in result.reply


def test_it_searches_by_make_alias_and_budget_cheapest_first(kvky, catalog):
    result = Chat(kvky).say("¿tienen chebys de menos de 300k?")
    assert result.slots == {"make": "Chevrolet", "max_price": 300000}
    assert [v["stock_id"] for v in result.vehicles] == ["1002", "1003", "1001"]
    assert result.vehicles_total == 3
    assert "$226,999" in result.reply


def test_it_never_offers_a_sold_vehicle(kvky, catalog):
    result = Chat(kvky).say("tienen onix?")
    assert [v["stock_id"] for v in result.vehicles] == ["1001"]


def test_it_offers_alternatives_when_nothing_matches(kvky, catalog):
    result = Chat(kvky).say("tienen algo de menos de 100 mil?")
    assert result.vehicles == []
    assert result.alternatives
    assert "no tengo" in result.reply.lower()


def test_it_says_so_for_a_make_it_does_not_carry(kvky, catalog):
    result = Chat(kvky).say("tienen tesla?")
    assert result.vehicles == []
    assert "no tenemos tesla" in result.reply.lower()


def test_it_refines_the_last_search_when_the_customer_continues_it(kvky, catalog):
    chat = Chat(kvky)
    chat.say("qué chevrolet tienen?")
    result = chat.say("y del 2019 para arriba?")
    assert {v["model"] for v in result.vehicles} == {"Onix", "Aveo", "Tracker"}
    assert all(v["make"] == "Chevrolet" and v["year"] >= 2019 for v in result.vehicles)


def test_it_searches_every_make_asked_for(kvky, catalog):
    result = Chat(kvky).say("algo chevrolet o volkswagen de menos de 300 mil?")
    assert {v["make"] for v in result.vehicles} == {"Chevrolet", "Volkswagen"}


def test_it_keeps_every_make_when_the_customer_narrows_the_search(kvky, catalog):
    chat = Chat(kvky)
    chat.say("tienen chevrolet o volkswagen?")
    result = chat.say("y del 2019 para arriba?")
    assert {v["make"] for v in result.vehicles} == {"Chevrolet", "Volkswagen"}


def test_it_drops_the_other_makes_for_a_new_make(kvky, catalog):
    chat = Chat(kvky)
    chat.say("tienen chevrolet o volkswagen?")
    result = chat.say("mejor algo volkswagen")
    assert {v["make"] for v in result.vehicles} == {"Volkswagen"}


@pytest.mark.parametrize("text", ["y el tracker cuánto ha rodado?", "el tracker qué tan caminado está?"])
def test_it_reads_how_far_a_car_went_as_its_km(kvky, catalog, text):
    result = Chat(kvky).say(text)
    assert (result.intent, "km" in result.reply) == ("vehicle_details", True)


def test_it_keeps_the_last_budget_for_a_new_search_in_that_price(kvky, catalog):
    chat = Chat(kvky)
    chat.say("busco un chevrolet de menos de 200 mil")
    result = chat.say("ok, ¿y qué volkswagen tienen en ese precio?")
    assert (result.slots["max_price"], result.vehicles) == (200000, [])


def test_it_drops_the_last_budget_for_a_new_search_that_keeps_no_price(kvky, catalog):
    chat = Chat(kvky)
    chat.say("busco un chevrolet de menos de 200 mil")
    result = chat.say("¿tienen volkswagen?")
    assert [vehicle["model"] for vehicle in result.vehicles] == ["Jetta"]


def test_it_gives_the_dimensions_it_has_and_says_which_it_lacks(kvky):
    VehicleFactory(make="Nissan", model="Kicks", length_mm=4295, width_mm=1760, height_mm=None)
    result = Chat(kvky).say("la kicks cuanto mide de alto?")
    assert "Mide 4,295 mm de largo y 1,760 mm de ancho. La altura no la tengo a la mano." in result.reply


def test_it_gives_all_three_dimensions(kvky):
    VehicleFactory(make="Nissan", model="Kicks", length_mm=4295, width_mm=1760, height_mm=1590)
    result = Chat(kvky).say("¿qué medidas tiene la kicks?")
    assert "Mide 4,295 mm de largo, 1,760 mm de ancho y 1,590 mm de alto." in result.reply


def test_it_answers_about_a_vehicle_of_the_last_list(kvky, catalog):
    chat = Chat(kvky)
    chat.say("tienen chevrolet?")
    result = chat.say("el onix de qué año es?")
    assert result.intent == "vehicle_details"
    assert "2021" in result.reply


def test_it_answers_about_the_vehicle_in_focus(kvky, catalog):
    chat = Chat(kvky)
    chat.say("hay jetta?")
    result = chat.say("trae carplay?")
    assert result.intent == "vehicle_details"
    assert "cuenta con carplay" in result.reply.lower()


def test_it_picks_the_vehicle_by_position_in_the_list(kvky, catalog):
    chat = Chat(kvky)
    chat.say("qué chevrolet tienen?")
    result = chat.say("el más barato cuántos km tiene?")
    assert result.vehicles[0]["stock_id"] == "1002"


def test_it_calculates_the_contract_plan(kvky, catalog):
    result = Chat(kvky).say("¿Cuánto es la mensualidad del Onix a 4 años?")
    assert result.intent == "financing"
    plan = result.financing[0]
    assert (plan["term_months"], plan["down_payment"], plan["monthly_payment"]) == (48, 45399.8, 4605.82)
    assert "$4,605.82" in result.reply


def test_it_gives_one_plan_per_whole_year_without_a_term(kvky, catalog):
    result = Chat(kvky).say("cuánto pagaría al mes por el onix?")
    assert [plan["term_months"] for plan in result.financing] == [36, 48, 60, 72]


def test_it_gives_a_plan_for_each_term_the_customer_compares(kvky, catalog):
    result = Chat(kvky).say("el jetta cuanto me sale a 4 o 5 años?")
    assert [plan["term_months"] for plan in result.financing] == [48, 60]


def test_it_gives_the_longest_term_when_the_customer_wants_the_most(kvky, catalog):
    chat = Chat(kvky)
    chat.say("cuánto pagaría al mes por el onix a 3 años?")
    result = chat.say("ok, mejor al máximo que se pueda")
    assert [plan["term_months"] for plan in result.financing] == [kvky.max_term_months]


def test_it_reads_the_number_after_con_el_as_a_share_of_the_price_while_a_plan_is_discussed(kvky, catalog):
    chat = Chat(kvky)
    chat.say("cuánto al mes por el onix a 4 años con 30% de enganche?")
    result = chat.say("¿y con el 20 nomás?")
    assert [(plan["term_months"], plan["down_payment"]) for plan in result.financing] == [(48, 45399.8)]


def test_it_keeps_no_term_after_comparing_several(kvky, catalog):
    chat = Chat(kvky)
    chat.say("el jetta cuanto me sale a 4 o 5 años?")
    result = chat.say("y con 80 mil de enganche?")
    assert [(plan["term_months"], plan["down_payment"]) for plan in result.financing][:2] == [(36, 80000), (48, 80000)]


def test_it_reads_a_share_of_the_price_in_words_as_the_down_payment(kvky, catalog):
    result = Chat(kvky).say("el tracker dando la mitad de enganche a 3 años?")
    assert [(plan["term_months"], plan["down_payment"]) for plan in result.financing] == [(36, 194999.5)]


def test_it_gives_the_plan_of_the_car_of_the_year_named_after_a_plan(kvky, catalog):
    chat = Chat(kvky)
    chat.say("cuánto al mes por el aveo a 4 años?")
    result = chat.say("el 2019")
    assert (result.intent, {plan["stock_id"] for plan in result.financing}) == ("financing", {"1003"})


def test_it_describes_the_car_of_the_year_named_after_a_description(kvky, catalog):
    chat = Chat(kvky)
    chat.say("qué km tiene el aveo?")
    result = chat.say("y el 2016?")
    assert (result.intent, [v["stock_id"] for v in result.vehicles]) == ("vehicle_details", ["1002"])


def test_it_picks_the_year_the_customer_names(kvky, catalog):
    result = Chat(kvky).say("el aveo 2019 a 36 meses cuánto quedaría?")
    assert result.financing[0]["stock_id"] == "1003"


def test_it_keeps_the_term_for_a_new_down_payment(kvky, catalog):
    chat = Chat(kvky)
    chat.say("¿Cuánto es la mensualidad del Onix a 4 años?")
    result = chat.say("y si le doy 30% de enganche?")
    plan = result.financing[0]
    assert (plan["term_months"], plan["monthly_payment"]) == (48, 4030.10)


def test_it_keeps_a_valid_term_when_the_down_payment_was_refused(kvky, catalog):
    chat = Chat(kvky)
    refused = chat.say("el onix con 5 mil de enganche a 60 meses?")
    result = chat.say("ok, entonces con 50 mil de enganche")
    assert (refused.financing, [plan["term_months"] for plan in result.financing]) == ([], [60])


def test_it_keeps_a_valid_down_payment_when_the_term_was_refused(kvky, catalog):
    chat = Chat(kvky)
    chat.say("el onix con 50 mil de enganche a 10 años?")
    result = chat.say("va, entonces a 4 años")
    assert [(plan["term_months"], plan["down_payment"]) for plan in result.financing] == [(48, 50000)]


def test_it_carries_the_vehicle_to_a_new_term(kvky, catalog):
    chat = Chat(kvky)
    chat.say("¿Cuánto es la mensualidad del Onix a 4 años?")
    result = chat.say("¿y a 5 años?")
    assert result.slots["term_months"] == 60
    assert result.slots["model"] == "Onix"
    assert result.financing[0]["stock_id"] == "1001"


def test_it_reads_a_bare_small_number_after_a_refused_term_in_years_as_years(kvky, catalog):
    chat = Chat(kvky)
    chat.say("el onix a 10 años?")
    result = chat.say("va, ¿y a 4?")
    assert [plan["term_months"] for plan in result.financing] == [48]


def test_it_keeps_a_term_said_in_months_in_months(kvky, catalog):
    chat = Chat(kvky)
    chat.say("el onix a 4 años?")
    assert chat.say("¿y a 6 meses?").financing == []


def test_it_reads_an_amount_with_a_term_beside_a_plan_as_its_down_payment(kvky, catalog):
    chat = Chat(kvky)
    chat.say("el onix a 5 años?")
    result = chat.say("¿y si doy 60 mil? a 4 años")
    assert [(plan["term_months"], plan["down_payment"]) for plan in result.financing] == [(48, 60000)]


def test_it_takes_a_correction_of_the_term(kvky, catalog):
    chat = Chat(kvky)
    chat.say("el onix a 5 años?")
    result = chat.say("no, mejor a 3 años")
    assert [plan["term_months"] for plan in result.financing] == [36]


def test_it_explains_a_term_out_of_range_without_a_plan(kvky, catalog):
    result = Chat(kvky).say("el tracker a 10 años cuánto sería?")
    assert result.financing == []
    assert "72" in result.reply


def test_it_explains_a_down_payment_below_the_minimum(kvky, catalog):
    chat = Chat(kvky)
    chat.say("hay jetta?")
    result = chat.say("¿se puede sin enganche?")
    assert result.financing == []
    assert "10%" in result.reply


def test_it_reads_a_bare_amount_as_a_down_payment_while_discussing_plans(kvky, catalog):
    chat = Chat(kvky)
    chat.say("el onix a 4 años")
    result = chat.say("y con 100 mil?")
    assert result.financing[0]["down_payment"] == 100000


def test_it_asks_which_vehicle_when_financing_has_none(kvky, catalog):
    result = Chat(kvky).say("cuánto pagaría al mes a 48 meses?")
    assert result.intent == "financing"
    assert result.financing == []
    assert "qué auto" in result.reply.lower()


def test_it_records_a_lead_for_the_plan_in_context(kvky, catalog):
    chat = Chat(kvky)
    chat.say("¿Cuánto es la mensualidad del Onix a 4 años?")
    result = chat.say("va, lo quiero")
    lead = Lead.objects.get(folio=result.lead["folio"])
    assert result.intent == "create_lead"
    assert lead.folio in result.reply
    assert lead.vehicle == catalog["onix"]
    assert lead.plan["monthly_payment"] == 4605.82
    assert lead.customer_phone == "+525500000001"  # the sender, in E.164


def test_it_asks_which_vehicle_before_recording_a_lead_for_it(kvky, catalog):
    result = Chat(kvky).say("lo quiero")
    assert result.lead is None
    assert Lead.objects.count() == 0


def test_it_hands_over_and_then_stays_silent(kvky, catalog):
    chat = Chat(kvky)
    handed = chat.say("quiero hablar con un asesor")
    later = chat.say("hola? sigues ahí?")
    assert handed.handoff and handed.reply
    assert later.handoff and later.reply == ""
    conversation = Conversation.objects.get(sender=chat.sender)
    assert conversation.messages.filter(role="user").count() == 2
    assert conversation.messages.filter(role="bot").count() == 1


def test_it_answers_again_after_staff_release_the_conversation(kvky, catalog):
    chat = Chat(kvky)
    chat.say("quiero hablar con un asesor")
    conversation_release(Conversation.objects.get(sender=chat.sender))
    assert chat.say("hola").reply


def test_it_apologises_and_offers_a_person_to_an_angry_customer(kvky, catalog):
    chat = Chat(kvky)
    result = chat.say("no sirves para nada")
    assert "perd" in result.reply.lower() and not result.handoff
    assert chat.say("sí").handoff


def test_it_offers_a_person_after_two_turns_it_could_not_understand(kvky, catalog):
    chat = Chat(kvky)
    chat.say("asdkjh qwe")
    result = chat.say("zxcv mnb")
    assert "asesor" in result.reply


def test_it_stores_each_turn_with_its_intent_and_slots(kvky, catalog):
    Chat(kvky).say("tienen onix?")
    user, bot = Message.objects.order_by("id")
    assert (user.role, user.intent, user.slots["model"]) == ("user", "search_vehicles", "Onix")
    assert (bot.role, bot.intent) == ("bot", "search_vehicles")
    assert bot.payload["vehicles"][0]["stock_id"] == "1001"


def test_it_refuses_a_redelivered_message(kvky, catalog):
    chat = Chat(kvky)
    chat.say("hola", external_id="SM123")
    with pytest.raises(DuplicateMessage):
        chat.say("hola", external_id="SM123")
    assert Message.objects.filter(role="user").count() == 1


def test_it_greets_by_profile_name(kvky):
    assert "Ana" in Chat(kvky).say("hola", profile_name="Ana").reply


def test_it_answers_onboarding_questions_from_the_faqs():
    blinky = OnboardingAssistantFactory()
    faq = FAQFactory(
        assistant=blinky,
        question="¿Cuándo es el día de pago?",
        answer="La nómina se paga los días 15 y último de cada mes.",
        additional_info="Si cae en fin de semana se adelanta al viernes.",
    )
    result = Chat(blinky).say("oye cuándo nos pagan?")
    assert result.intent == "faq"
    assert result.faq == {"id": faq.pk, "question": faq.question}
    assert "15" in result.reply


def test_it_answers_a_follow_up_from_the_faq_in_focus():
    blinky = OnboardingAssistantFactory()
    FAQFactory(
        assistant=blinky,
        question="¿Cuándo es el día de pago?",
        answer="La nómina se paga los días 15 y último de cada mes.",
        additional_info="Si cae en fin de semana se adelanta al viernes hábil anterior.",
    )
    chat = Chat(blinky)
    chat.say("cuándo pagan la nómina?")
    result = chat.say("¿y si cae en domingo?")
    assert result.intent == "faq"
    assert "viernes" in result.reply


@pytest.fixture
def documents_and_office():
    blinky = OnboardingAssistantFactory()
    documents = FAQFactory(
        assistant=blinky,
        question="¿Qué documentos debo entregar?",
        answer="Entrega tu acta de nacimiento, CURP y comprobante de domicilio. Súbelos al portal Mi Expediente.",
    )
    FAQFactory(assistant=blinky, question="¿Dónde está la oficina?", answer="En Calle Madero 12, centro de Puebla.")
    return blinky, documents


def test_it_keeps_the_faq_in_focus_when_a_follow_up_points_back_and_asks_only_where(documents_and_office):
    blinky, documents = documents_and_office
    chat = Chat(blinky)
    chat.say("que papeles tengo que llevar?")
    result = chat.say("y donde los escaneo?")
    assert result.faq == {"id": documents.pk, "question": documents.question}


def test_it_leaves_the_faq_in_focus_when_a_follow_up_names_another_topic(documents_and_office):
    blinky, _ = documents_and_office
    chat = Chat(blinky)
    chat.say("que papeles tengo que llevar?")
    assert chat.say("y la oficina donde queda?").faq["question"] == "¿Dónde está la oficina?"


def test_it_answers_a_follow_up_that_points_back_with_a_word_no_faq_says():
    blinky = OnboardingAssistantFactory()
    vacations = FAQFactory(
        assistant=blinky,
        question="¿Cómo solicito vacaciones?",
        answer="Pídelas en el portal con 15 días de anticipación; tu líder las aprueba.",
    )
    FAQFactory(assistant=blinky, question="¿Cuándo es el día de pago?", answer="Los días 15 y último de cada mes.")
    chat = Chat(blinky)
    chat.say("como pido mis vacaciones?")
    assert chat.say("y quien me las firma?").faq == {"id": vacations.pk, "question": vacations.question}


def test_it_keeps_the_faq_in_focus_for_a_long_follow_up_that_opens_as_a_continuation(documents_and_office):
    blinky, documents = documents_and_office
    chat = Chat(blinky)
    chat.say("que papeles tengo que llevar?")
    result = chat.say("y si los tengo nomás en el celular de mi hermana, ¿se vale así?")
    assert result.faq == {"id": documents.pk, "question": documents.question}


def test_it_says_it_does_not_know_below_the_threshold_and_offers_a_person():
    blinky = OnboardingAssistantFactory()
    FAQFactory(assistant=blinky, question="¿Cuándo es el día de pago?", answer="Los días 15 y último.")
    result = Chat(blinky).say("¿hay gimnasio en la oficina?")
    assert result.faq is None
    assert "no tengo" in result.reply.lower() and "RH" in result.reply


@pytest.fixture
def offered_a_person():
    """An onboarding chat whose last reply said "no sé" and offered a person."""
    blinky = OnboardingAssistantFactory()
    FAQFactory(assistant=blinky, question="¿Cuándo es el día de pago?", answer="Los días 15 y último.")
    chat = Chat(blinky)
    chat.say("¿hay gimnasio en la oficina?")
    return chat


@pytest.mark.parametrize("reply", ["sí, porfa", "sí, gracias", "va"])
def test_it_hands_over_when_the_offer_of_a_person_is_accepted(offered_a_person, reply):
    assert offered_a_person.say(reply).handoff is True


@pytest.mark.parametrize(
    "reply", ["ok gracias, ya me voy, bye", "va, gracias, nos vemos", "ok, gracias", "perfecto, muchas gracias"]
)
def test_it_lets_the_customer_leave_instead_of_accepting_the_offer(offered_a_person, reply):
    result = offered_a_person.say(reply)
    assert (result.intent, result.handoff) == ("goodbye", False)


def test_it_asks_for_a_rating_after_a_goodbye_and_stores_it(kvky):
    chat = Chat(kvky)
    goodbye = chat.say("gracias, es todo")
    chat.say("5")
    chat.say("un 9")
    conversation = Conversation.objects.get(sender=chat.sender)
    assert "del 1 al 5" in goodbye.reply
    assert (conversation.csat_score, conversation.nps_score) == (5, 9)


def test_it_asks_for_the_rating_only_once(kvky):
    chat = Chat(kvky)
    chat.say("gracias, es todo")
    chat.say("4")
    chat.say("10")
    assert "del 1 al 5" not in chat.say("bye").reply


def test_it_handles_a_question_instead_of_a_rating(kvky, catalog):
    chat = Chat(kvky)
    chat.say("gracias, es todo")
    result = chat.say("oye, y tienen jetta?")
    assert result.intent == "search_vehicles"
    assert Conversation.objects.get(sender=chat.sender).csat_score is None


def test_it_ignores_a_score_outside_the_scale(kvky):
    chat = Chat(kvky)
    chat.say("gracias, es todo")
    chat.say("8")
    assert Conversation.objects.get(sender=chat.sender).csat_score is None


def test_it_writes_replies_as_plain_text_without_html_escaping():
    blinky = OnboardingAssistantFactory()
    FAQFactory(
        assistant=blinky, question="¿Dónde veo mis recibos de nómina?", answer="En Mi Portal > Nómina & Recibos."
    )
    result = Chat(blinky).say("dónde veo mis recibos de nómina?")
    assert "Mi Portal > Nómina & Recibos" in result.reply


def test_it_asks_a_web_customer_for_a_phone_and_adds_it_to_the_lead(kvky, catalog):
    def say(text):
        return handle_turn(assistant=kvky, sender="web-3f9a", text=text, channel="web")

    say("hay jetta?")
    asked = say("lo quiero")
    say("claro, es el 55 1234 5678")
    lead = Lead.objects.get(folio=asked.lead["folio"])
    assert "número" in asked.reply
    assert lead.customer_phone == "+525512345678"


def test_it_takes_a_web_customers_phone_written_with_an_area_code_in_parentheses(kvky, catalog):
    def say(text):
        return handle_turn(assistant=kvky, sender="web-7c1d", text=text, channel="web")

    say("hay jetta?")
    asked = say("lo quiero")
    saved = say("es el (55) 1234 5678")
    assert Lead.objects.get(folio=asked.lead["folio"]).customer_phone == "+525512345678"
    assert "+525512345678" in saved.reply


def test_it_says_hello_once_when_it_knows_the_name(kvky):
    reply = Chat(kvky).say("hola", profile_name="Ana").reply
    assert reply.lower().count("hola") == 1


def test_it_completes_a_refinement_s_slots_from_the_last_search(kvky, catalog):
    chat = Chat(kvky)
    chat.say("qué chevrolet tienen de menos de 300 mil?")
    result = chat.say("y del 2019 para arriba?")
    assert result.slots == {"make": "Chevrolet", "max_price": 300000, "year_min": 2019}


def test_it_reads_a_lone_number_as_a_corrected_term(kvky, catalog):
    chat = Chat(kvky)
    chat.say("el onix a 48 meses")
    result = chat.say("perdón, quise decir 36")
    assert [plan["term_months"] for plan in result.financing] == [36]


def test_it_answers_the_same_question_about_another_car(kvky, catalog):
    chat = Chat(kvky)
    chat.say("el onix trae carplay?")
    result = chat.say("¿y el jetta?")
    assert result.intent == "vehicle_details"
    assert "cuenta con carplay" in result.reply.lower()


def test_it_reads_a_short_pronoun_question_with_the_faq_in_focus():
    blinky = OnboardingAssistantFactory()
    FAQFactory(assistant=blinky, question="¿Cuántos días de vacaciones tengo?", answer="Tienes 12 días al año.")
    asking = FAQFactory(
        assistant=blinky, question="¿Cómo solicito vacaciones?", answer="Solicítalas en el portal de RH."
    )
    chat = Chat(blinky)
    chat.say("cuántos días de vacaciones me tocan?")
    assert chat.say("y cómo las pido?").faq["id"] == asking.pk


def test_it_takes_thanks_alone_as_a_goodbye(kvky):
    assert Chat(kvky).say("va, muchas gracias 🙏").intent == "goodbye"


def test_it_picks_the_lowest_mileage_of_the_last_list(kvky, catalog):
    catalog["aveo_new"].km = 1000
    catalog["aveo_new"].save()
    chat = Chat(kvky)
    chat.say("qué chevrolet tienen?")
    assert chat.say("cuál tiene menos km?").vehicles[0]["stock_id"] == "1003"


def test_it_answers_a_follow_up_about_the_cars_just_described(kvky, catalog):
    chat = Chat(kvky)
    chat.say("qué chevrolet tienen?")
    chat.say("el aveo de qué año es?")
    result = chat.say("¿y el precio?")
    assert {v["stock_id"] for v in result.vehicles} == {"1002", "1003"}
    assert "$150,000" in result.reply and "$190,000" in result.reply


def test_it_calculates_with_the_minimum_down_payment_when_asked(kvky, catalog):
    chat = Chat(kvky)
    chat.say("hay jetta?")
    result = chat.say("¿y con el enganche mínimo?")
    assert {plan["down_payment"] for plan in result.financing} == {28999.9}


def test_it_keeps_a_stated_down_payment_in_the_slots_of_later_plans(kvky, catalog):
    chat = Chat(kvky)
    chat.say("el onix con 30% de enganche")
    assert chat.say("¿y a 5 años?").slots["down_payment_pct"] == 0.3


def test_it_tells_about_a_car_the_customer_is_interested_in(kvky, catalog):
    result = Chat(kvky).say("hola, me interesa el jetta")
    assert result.intent == "vehicle_details"
    assert "$289,999" in result.reply


def test_it_confirms_availability_of_the_car_in_focus(kvky, catalog):
    chat = Chat(kvky)
    chat.say("hay jetta?")
    assert "disponible" in chat.say("¿sigue disponible?").reply


def test_it_books_a_visit_when_asked_when_to_see_the_car(kvky, catalog):
    chat = Chat(kvky)
    chat.say("hay jetta?")
    assert chat.say("¿cuándo lo puedo ir a ver?").lead


def test_it_takes_thanks_after_an_faq_as_a_goodbye_not_a_follow_up():
    blinky = OnboardingAssistantFactory()
    FAQFactory(assistant=blinky, question="¿Cuándo es el día de pago?", answer="Los días 15 y último de cada mes.")
    chat = Chat(blinky)
    chat.say("cuándo pagan?")
    assert chat.say("okas gracias").intent == "goodbye"


@pytest.mark.parametrize(
    "question", ["¿cuánto necesito de enganche?", "¿cuánto de enganche necesito?", "¿de cuánto es el enganche?"]
)
def test_it_reads_financing_a_named_car_as_financing_and_states_the_minimum(kvky, catalog, question):
    result = Chat(kvky).say(f"quiero financiar el jetta, {question}")
    assert result.intent == "financing"
    assert "El enganche mínimo es del 10% ($28,999.90)" in result.reply


def test_it_searches_what_a_monthly_budget_affords(kvky, catalog):
    result = Chat(kvky).say("¿qué auto me alcanza con 4 mil al mes?")
    assert result.intent == "search_vehicles"
    assert result.slots["max_monthly_payment"] == 4000
    assert {v["stock_id"] for v in result.vehicles} == {"1002", "1003", "1001"}  # up to $269,893


def test_it_decides_a_lead_without_writing_it_until_the_reply_is_stored(kvky, catalog):
    """The rules engine only reads; the lead is written in the same transaction as the reply."""
    chat = Chat(kvky)
    chat.say("¿Cuánto es la mensualidad del Onix a 4 años?")
    conversation = Conversation.objects.get(sender=chat.sender)
    state = DialogueState.from_json(conversation.state)
    ctx = TurnContext(assistant=kvky, state=state, sender=chat.sender, conversation=conversation)
    reading = understand("va, lo quiero", state=state, vocabulary=get_vocabulary(), faq_index=None, kind=kvky.kind)
    result = decide(reading, ctx)
    assert (Lead.objects.count(), ctx.writes.lead.folio) == (0, result.lead["folio"])


def test_it_quotes_the_folio_written_when_the_drafted_one_was_taken(kvky, catalog):
    draft = lead_draft(assistant=kvky, vehicle=catalog["onix"])
    LeadFactory(assistant=kvky, folio=draft.folio)
    result = TurnResult(reply=f"Listo, tu folio es {draft.folio}.", intent="create_lead", lead={"folio": draft.folio})
    state = DialogueState(lead_waiting_phone=draft.folio)
    pending_writes_apply(PendingWrites(lead=draft), result, state)
    written = Lead.objects.exclude(folio=draft.folio).get()
    assert (result.reply, result.lead, state.lead_waiting_phone) == (
        f"Listo, tu folio es {written.folio}.",
        {"folio": written.folio},
        written.folio,
    )


def test_it_searches_below_the_cheapest_car_just_shown_for_something_cheaper(kvky, catalog):
    chat = Chat(kvky)
    chat.say("¿tienen chevrolet de menos de 200 mil?")
    result = chat.say("¿algo más barato?")
    assert (result.intent, result.slots["max_price"]) == ("search_vehicles", 149999)


def test_it_lists_the_cheapest_cars_when_asked_for_the_cheapest_with_no_filter(kvky, catalog):
    result = Chat(kvky).say("¿cuál es el más barato que tienen?")
    assert [card["stock_id"] for card in result.vehicles][:2] == ["1002", "1003"]


def test_it_recommends_the_newest_car_of_the_last_list(kvky, catalog):
    chat = Chat(kvky)
    chat.say("¿tienen chevrolet?")
    result = chat.say("¿cuál me recomiendas?")
    assert (result.intent, [card["stock_id"] for card in result.vehicles]) == ("vehicle_details", ["1004"])


def test_it_searches_by_transmission(kvky, catalog):
    VehicleFactory(stock_id="2001", make="Nissan", model="March", version="1.6 SENSE MT", price=Decimal("150000"))
    result = Chat(kvky).say("busco uno estándar")
    assert (result.intent, [card["stock_id"] for card in result.vehicles]) == ("search_vehicles", ["2001"])


def test_it_shows_what_a_monthly_budget_written_as_mensuales_buys(kvky, catalog):
    result = Chat(kvky).say("mi presupuesto es de 6 mil mensuales, ¿qué me alcanza?")
    assert (result.intent, result.slots["max_monthly_payment"]) == ("search_vehicles", 6000)


@pytest.fixture
def blinky_with_faqs():
    blinky = OnboardingAssistantFactory()
    FAQFactory(
        assistant=blinky,
        question="¿Hay lugar para estacionar?",
        answer="Los cajones se rifan cada mes.",
        additional_info="Regístrate en la intranet para entrar a la rifa.",
    )
    FAQFactory(
        assistant=blinky,
        question="¿Cómo doy de alta a mi familia en el seguro médico?",
        answer="Agrégalos en la intranet, sección Seguro.",
    )
    FAQFactory(assistant=blinky, question="¿Cuándo es el día de pago?", answer="Los días 15 y 30.")
    FAQFactory(
        assistant=blinky,
        question="¿Qué cursos me ofrece la empresa?",
        answer="Cursos en línea para crecer en tu puesto.",
    )
    return blinky


def test_it_reads_how_to_sign_up_after_an_answer_as_about_that_answer(blinky_with_faqs):
    chat = Chat(blinky_with_faqs)
    chat.say("hay cajón para mi carro?")
    result = chat.say("¿cómo me registro?")
    assert result.faq["question"] == "¿Hay lugar para estacionar?"


def test_it_answers_the_value_proposition_right_after_a_faq(blinky_with_faqs):
    chat = Chat(blinky_with_faqs)
    chat.say("cuándo pagan?")
    assert chat.say("¿qué me ofrece la empresa para crecer?").intent == "value_proposition"


def test_it_reads_the_other_one_as_the_other_of_two_cars(kvky, catalog):
    chat = Chat(kvky)
    chat.say("¿tienen aveo?")
    chat.say("el más barato ¿cuánto quedaría a 4 años?")
    result = chat.say("¿y el otro?")
    assert (result.intent, result.financing[0]["stock_id"]) == ("financing", "1003")


def test_it_asks_which_car_when_the_other_one_is_one_of_many(kvky, catalog):
    chat = Chat(kvky)
    chat.say("¿tienen chevrolet?")
    chat.say("el primero ¿cuánto cuesta?")
    result = chat.say("¿y el otro?")
    assert (result.intent, result.vehicles) == ("vehicle_details", [])


def test_it_searches_past_the_newest_car_shown_for_a_newer_one(kvky, catalog):
    chat = Chat(kvky)
    chat.say("¿tienen aveo?")
    result = chat.say("¿hay otro más nuevo?")
    assert (result.intent, result.slots["model"], result.slots["year_min"]) == ("search_vehicles", "Aveo", 2020)


def test_it_records_a_lead_when_the_customer_says_yes_to_the_offer_after_a_plan(kvky, catalog):
    chat = Chat(kvky)
    chat.say("¿cuánto sale el onix a 48 meses?")
    result = chat.say("sí")
    assert (result.intent, result.vehicles[0]["stock_id"]) == ("create_lead", "1001")


def test_it_calculates_the_plan_when_the_customer_says_yes_after_details(kvky, catalog):
    chat = Chat(kvky)
    chat.say("¿el onix tiene carplay?")
    result = chat.say("sí, porfa")
    assert (result.intent, result.financing[0]["stock_id"]) == ("financing", "1001")


def test_it_closes_on_thanks_after_the_offer_without_a_lead(kvky, catalog):
    chat = Chat(kvky)
    chat.say("¿cuánto sale el onix a 48 meses?")
    assert (chat.say("ok gracias").intent, Lead.objects.count()) == ("goodbye", 0)


@pytest.mark.parametrize(
    ("message", "stock_id"), [("la limited cuánto al mes a 5 años?", "3001"), ("y la sport a 60?", "3002")]
)
def test_it_picks_a_listed_car_by_a_word_of_its_version(kvky, message, stock_id):
    forester = {"make": "Subaru", "model": "Forester"}
    VehicleFactory(stock_id="3001", version="2.5 LIMITED AWD CVT", price=Decimal("420000"), **forester)
    VehicleFactory(stock_id="3002", version="2.5 SPORT AWD CVT", price=Decimal("390000"), **forester)
    chat = Chat(kvky)
    chat.say("¿tienen forester?")
    assert {plan["stock_id"] for plan in chat.say(message).financing} == {stock_id}
