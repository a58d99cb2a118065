"""Dialogue: from a Reading and the conversation's state to a TurnResult.

One handler per intent. Handlers call the tools (plain functions of the catalog,
financing, leads and FAQ modules) and render replies from templates; they change
only the DialogueState they are given, which the caller saves. They only read the
database: what a turn writes (a lead, a customer's phone on it) goes in
`ctx.writes`, which the caller writes beside the reply in one short transaction.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from catalog.models import Vehicle
from catalog.selectors import (
    VehicleFilters,
    vehicle_alternatives,
    vehicle_card,
    vehicle_search,
    vehicles_by_stock_ids,
    vehicles_matching,
)
from conversations.engine.replies import render_reply
from conversations.engine.result import TurnResult
from conversations.models import Assistant, Conversation
from conversations.phones import phone_e164, phone_spans
from financing.calculator import FinancingError, FinancingTerms, affordable_price, financing_plans
from leads.models import Lead
from leads.services import LeadDraft, lead_draft, lead_for_car, lead_for_phone_and_car
from nlu import language
from nlu.faq import CONFIDENCE_THRESHOLD, FaqEntry, FaqIndex, FaqMatch, naming_terms_of, terms_of
from nlu.normalise import normalise
from nlu.pipeline import Reading
from nlu.ratings import parse_score
from nlu.state import DialogueState

REPLY_VEHICLES = 10  # vehicles listed in a reply
RESULT_VEHICLES = 50  # vehicles returned in the result
SEARCH_KEYS = (
    "make", "other_makes", "model", "body_type", "transmission",
    "min_price", "max_price", "year_min", "year_max", "max_km",
)  # fmt: skip
PRICE_KEYS = ("min_price", "max_price")
YEAR_KEYS = ("year_min", "year_max")
MISUNDERSTOOD_BEFORE_OFFER = 2
FOLLOW_UP_MAX_WORDS = 9  # longer questions carry their own topic
CONTINUED_FOLLOW_UP_MAX_WORDS = 14  # unless they open as a continuation: "y si lo entrego hoy, ¿ya me cae …?"
SHORT_FOLLOW_UP_WORDS = 6  # a question this short with no topic of its own leans on the last one
OFFERS = {"offer_lead": "create_lead", "offer_financing": "financing"}
UNHELPFUL_INTENTS = frozenset({"out_of_scope", "faq", "greet", "goodbye", "help"})


@dataclass
class PendingWrites:
    lead: LeadDraft | None = None  # a lead to record; the reply already quotes its folio
    lead_contact: tuple[str, str] | None = None  # (folio, phone) a web customer gave for their lead
    lead_requested_again: Lead | None = None  # a lead the same phone already has for the car asked for


@dataclass
class TurnContext:
    assistant: Assistant
    state: DialogueState
    sender: str = ""
    profile_name: str = ""
    conversation: Conversation | None = None
    faq_index: FaqIndex | None = None
    vocabulary_makes: list[str] = field(default_factory=list)
    writes: PendingWrites = field(default_factory=PendingWrites)

    @property
    def terms(self) -> FinancingTerms:
        return FinancingTerms.from_assistant(self.assistant)


def decide(reading: Reading, ctx: TurnContext) -> TurnResult:
    early = _survey_answer(reading, ctx) or _lead_phone_answer(reading, ctx)
    if early is not None:
        return _finish(early, ctx)
    intent = _intent_in_context(reading, ctx.state)
    lost = intent == "out_of_scope" and ctx.state.misunderstood + 1 >= MISUNDERSTOOD_BEFORE_OFFER
    if lost or (reading.angry and intent in UNHELPFUL_INTENTS):
        result = _frustration(reading, ctx)
    else:
        result = HANDLERS[intent](reading, ctx)
    ctx.state.misunderstood = ctx.state.misunderstood + 1 if result.intent == "out_of_scope" else 0
    return _finish(result, ctx)


def _finish(result: TurnResult, ctx: TurnContext) -> TurnResult:
    ctx.state.last_intent = result.intent
    result.assistant = ctx.assistant.slug
    result.conversation = str(ctx.conversation.pk) if ctx.conversation else ""
    return result


def _intent_in_context(reading: Reading, state: DialogueState) -> str:
    """A pending question gives a short answer its meaning ("sí", "el onix")."""
    pending, intent = state.pending, reading.intent
    state.pending = None
    accepts = reading.affirm and not reading.takes_leave
    # "sí, gracias" takes the offer of a person; "ok, gracias" is a goodbye and "ok, ¿y …?"
    # a new question ("ok, ¿y a qué hora entro?").
    takes_offer = intent in ("out_of_scope", "greet") or (intent in ("goodbye", "faq") and reading.says_yes)
    if pending == "offer_handoff" and accepts and takes_offer:
        return "human_handoff"
    # "sí" to the offer that closed the last reply; "ok, gracias" stays a goodbye.
    if pending in OFFERS and accepts and intent in ("out_of_scope", "greet"):
        return OFFERS[pending]
    names_vehicle = bool(reading.slots.get("model") or reading.slots.get("make"))
    if pending == "financing_vehicle" and names_vehicle and intent == "search_vehicles":
        return "financing"
    if pending == "lead_vehicle" and names_vehicle and intent == "search_vehicles":
        return "create_lead"
    return intent


# --- Conversation intents ---------------------------------------------------


# The hello an assistant's own greeting opens with: a reply-rendering concern, its word is data.
LEADING_HELLO = language.load("acts").pattern("leading_hello", re.IGNORECASE)


def _greet(reading: Reading, ctx: TurnContext) -> TurnResult:
    greeting = ctx.assistant.greeting
    if ctx.profile_name:  # "¡Hola, Ana!" already says hello
        greeting = LEADING_HELLO.sub("", greeting, count=1)
    reply = render_reply("greet", greeting=greeting, name=ctx.profile_name)
    return TurnResult(reply=reply, intent="greet", slots=reading.slots)


def _goodbye(reading: Reading, ctx: TurnContext) -> TurnResult:
    """Say goodbye; the first time, ask once for a 1–5 rating (CSAT)."""
    ask = not ctx.state.survey_done
    if ask:
        ctx.state.survey_done, ctx.state.rating_asked = True, "csat"
    reply = render_reply("goodbye", assistant=ctx.assistant, name=ctx.profile_name, ask_rating=ask)
    return TurnResult(reply=reply, intent="goodbye", slots=reading.slots)


def _survey_answer(reading: Reading, ctx: TurnContext) -> TurnResult | None:
    """A score right after the survey question: store it, then ask NPS once, then thank."""
    scale, state = ctx.state.rating_asked, ctx.state
    state.rating_asked = None
    score = parse_score(reading.normalised, scale) if scale else None
    if score is None:
        return None
    if scale == "csat":
        state.csat_score, state.rating_asked = score, "nps"
    else:
        state.nps_score = score
    reply = render_reply("survey_thanks", scale=scale, score=score)
    return TurnResult(reply=reply, intent="goodbye", slots=reading.slots)


def _help(reading: Reading, ctx: TurnContext) -> TurnResult:
    return TurnResult(reply=render_reply("help", assistant=ctx.assistant), intent="help", slots=reading.slots)


def _value_proposition(reading: Reading, ctx: TurnContext) -> TurnResult:
    reply = render_reply("value_proposition", assistant=ctx.assistant)
    return TurnResult(reply=reply, intent="value_proposition", slots=reading.slots)


def _locations(reading: Reading, ctx: TurnContext) -> TurnResult:
    reply = render_reply("locations", assistant=ctx.assistant)
    return TurnResult(reply=reply, intent="locations", slots=reading.slots)


def _human_handoff(reading: Reading, ctx: TurnContext) -> TurnResult:
    reply = render_reply("handoff", assistant=ctx.assistant)
    return TurnResult(reply=reply, intent="human_handoff", slots=reading.slots, handoff=True)


def _out_of_scope(reading: Reading, ctx: TurnContext) -> TurnResult:
    reply = render_reply("out_of_scope", assistant=ctx.assistant)
    return TurnResult(reply=reply, intent="out_of_scope", slots=reading.slots)


def _frustration(reading: Reading, ctx: TurnContext) -> TurnResult:
    """Apologise and offer a person; "sí" on the next turn hands over."""
    ctx.state.pending = "offer_handoff"
    reply = render_reply("frustration", assistant=ctx.assistant)
    return TurnResult(reply=reply, intent="out_of_scope", slots=reading.slots)


# --- FAQ ----------------------------------------------------------------------


def _faq(reading: Reading, ctx: TurnContext) -> TurnResult:
    match = _faq_answer_for(reading, ctx)
    if match is None:
        ctx.state.pending = "offer_handoff"
        reply = render_reply("faq_unknown", assistant=ctx.assistant)
        return TurnResult(reply=reply, intent="faq", slots=reading.slots)
    ctx.state.faq_in_focus = match.id
    return TurnResult(
        reply=render_reply("faq_answer", faq=match),
        intent="faq",
        slots=reading.slots,
        faq={"id": match.id, "question": match.question},
    )


def _faq_answer_for(reading: Reading, ctx: TurnContext):
    """The FAQ that answers: the message's own best match, or — for a short follow-up — the topic in focus."""
    own = reading.faq if reading.faq_confident else None
    focused = _faq_in_focus(ctx) if reading.continuing or ctx.state.last_intent == "faq" else None
    longest = CONTINUED_FOLLOW_UP_MAX_WORDS if reading.continuing else FOLLOW_UP_MAX_WORDS
    if focused is None or len(reading.normalised.split()) > longest:
        return own
    # "¿y hay gimnasio?" names a topic no FAQ covers: not the one in focus either. A word pointing back
    # (a pronoun or demonstrative: "¿y quién me las firma?") says the topic is still the one in focus.
    pointing_back = reading.refers_back or reading.puts_a_case
    if own is None and not pointing_back and ctx.faq_index and ctx.faq_index.foreign_terms(reading.text):
        return None
    if own is not None and own.id != focused.id and (
        _follows_up(reading, focused) or (reading.refers_back and not _names_topic_of(reading, own, focused))
    ):
        return focused
    short = len(reading.normalised.split()) <= SHORT_FOLLOW_UP_WORDS
    if reading.refers_back or reading.continuing or (own is None and short):
        # "¿y cómo las pido?", "¿es anónimo?": read the message together with the question in focus.
        in_context = ctx.faq_index.best(reading.text, context=focused.question) if ctx.faq_index else None
        if in_context is not None and in_context.score >= CONFIDENCE_THRESHOLD and (
            own is None or in_context.score >= own.score
        ):
            return in_context
    if own is None and (reading.continuing or short or reading.refers_back):
        return focused
    return own


def _names_topic_of(reading: Reading, match: FaqMatch, focused: FaqEntry) -> bool:
    """Whether a follow-up names the topic of another FAQ than the one in focus: a word of its question, or a
    word of its answer the FAQ in focus does not say. "¿y dónde los subo?" after the documents to hand in
    asks where to upload them, not where the office is."""
    named = naming_terms_of(reading.text)
    in_focus = naming_terms_of(f"{focused.question} {focused.answer} {focused.additional_info}")
    answer = naming_terms_of(f"{match.answer} {match.additional_info}")
    return bool(named & naming_terms_of(match.question)) or bool((named & answer) - in_focus)


def _follows_up(reading: Reading, focused: FaqEntry) -> bool:
    """A short question about what the last answer said ("¿y si trabajo remoto?") continues that topic."""
    asked = terms_of(reading.text)
    about_last_answer = asked & (terms_of(f"{focused.answer} {focused.additional_info}") - terms_of(focused.question))
    about_other_question = asked & terms_of(reading.faq.question) if reading.faq else set()
    if about_last_answer and len(about_last_answer) > len(about_other_question):
        return True
    if about_last_answer and len(about_last_answer) == len(about_other_question):
        # "¿y si trabajo remoto?" puts a case to the last answer; "¿cómo me inscribo?" is too short for a new topic.
        return reading.puts_a_case or len(reading.normalised.split()) <= 4
    return False


def _faq_in_focus(ctx: TurnContext):
    if ctx.state.faq_in_focus is None or ctx.faq_index is None:
        return None
    return ctx.faq_index.get(ctx.state.faq_in_focus)


# --- Vehicles ------------------------------------------------------------------


def _search(reading: Reading, ctx: TurnContext) -> TurnResult:
    state = ctx.state
    if reading.unknown_make and not reading.slots.get("make"):
        return _unknown_make(reading, ctx)
    if reading.unknown_model:
        return _unknown_model(reading, ctx)
    criteria = _search_criteria(reading, state)
    if reading.past_the_list == "price" and not any(key in reading.slots for key in PRICE_KEYS):
        criteria = _beyond_last_results(criteria, state, drop=PRICE_KEYS, bound=_below_the_cheapest)
    if reading.past_the_list == "year" and not any(key in reading.slots for key in YEAR_KEYS):
        criteria = _beyond_last_results(criteria, state, drop=YEAR_KEYS, bound=_after_the_newest)
    monthly = reading.slots.get("max_monthly_payment")
    if monthly:  # "¿qué me alcanza con 6 mil al mes?": the price the default plan allows
        cap = int(affordable_price(Decimal(str(monthly)), ctx.terms))
        criteria["max_price"] = min(cap, criteria.get("max_price") or cap)
    filters = VehicleFilters.from_slots({**criteria, "features": list(reading.features)})
    if filters.is_empty() and reading.past_the_list != "price":  # "¿cuál es el más barato?" needs no filter
        state.pending = "search_details"
        return TurnResult(reply=render_reply("search_vague"), intent="search_vehicles", slots=reading.slots)
    found = vehicle_search(filters, limit=RESULT_VEHICLES)
    slots = {**criteria, **reading.slots}  # a refinement relies on the last search's filters
    state.last_search = criteria
    state.last_results = [vehicle.stock_id for vehicle in found.vehicles]
    state.focus_stock_id = found.vehicles[0].stock_id if found.total == 1 else None
    cards = [vehicle_card(vehicle) for vehicle in found.vehicles]
    if found.total:
        reply = render_reply(
            "search_results",
            vehicles=cards[:REPLY_VEHICLES],
            total=found.total,
            criteria=_describe(criteria),
            monthly=monthly,
            terms=ctx.terms,
        )
        return TurnResult(
            reply=reply, intent="search_vehicles", slots=slots, vehicles=cards, vehicles_total=found.total
        )
    alternatives = [vehicle_card(vehicle) for vehicle in vehicle_alternatives(filters)]
    reply = render_reply("search_none", criteria=_describe(criteria), alternatives=alternatives)
    return TurnResult(reply=reply, intent="search_vehicles", slots=slots, alternatives=alternatives)


def _unknown_make(reading: Reading, ctx: TurnContext) -> TurnResult:
    criteria = {key: value for key, value in reading.slots.items() if key in SEARCH_KEYS}
    ctx.state.last_search, ctx.state.last_results, ctx.state.focus_stock_id = criteria, [], None
    filters = VehicleFilters.from_slots(criteria)
    alternatives = [] if filters.is_empty() else [vehicle_card(vehicle) for vehicle in vehicle_alternatives(filters)]
    reply = render_reply(
        "unknown_make", make=reading.unknown_make.title(), alternatives=alternatives, makes=ctx.vocabulary_makes
    )
    return TurnResult(reply=reply, intent="search_vehicles", slots=reading.slots, alternatives=alternatives)


def _unknown_model(reading: Reading, ctx: TurnContext) -> TurnResult:
    """A model the catalog lacks ("¿tienen tsuru?"): say so, and offer that make's cars."""
    make = reading.slots.get("make")
    criteria = {key: value for key, value in reading.slots.items() if key in SEARCH_KEYS}
    found = vehicle_search(VehicleFilters.from_slots(criteria), limit=REPLY_VEHICLES) if make else None
    alternatives = [vehicle_card(vehicle) for vehicle in found.vehicles] if found else []
    ctx.state.last_search, ctx.state.last_results, ctx.state.focus_stock_id = criteria, [], None
    reply = render_reply(
        "unknown_make", make=reading.unknown_model.title(), alternatives=alternatives, makes=ctx.vocabulary_makes
    )
    return TurnResult(reply=reply, intent="search_vehicles", slots=reading.slots, alternatives=alternatives)


def _beyond_last_results(
    criteria: dict[str, Any],
    state: DialogueState,
    *,
    drop: tuple[str, ...],
    bound: Callable[[list[Vehicle]], dict[str, int]],
) -> dict[str, Any]:
    """ "¿algo más barato?", "¿hay otra más nueva?": the last search, past the cars just shown."""
    shown = vehicles_by_stock_ids(state.last_results)
    if not shown:
        return criteria
    refined = {**(state.last_search or {}), **criteria}
    return {**{key: value for key, value in refined.items() if key not in drop}, **bound(shown)}


def _below_the_cheapest(shown: list[Vehicle]) -> dict[str, int]:
    return {"max_price": int(min(vehicle.price for vehicle in shown)) - 1}


def _after_the_newest(shown: list[Vehicle]) -> dict[str, int]:
    return {"year_min": max(vehicle.year for vehicle in shown) + 1}


def _search_criteria(reading: Reading, state: DialogueState) -> dict[str, Any]:
    """This turn's filters, refined from the last search when the customer continues it."""
    stated = {key: value for key, value in reading.slots.items() if key in SEARCH_KEYS}
    refines = reading.continuing or not reading.fresh_search
    if not (refines and state.last_search):
        return {**_kept_price(reading, state), **stated}
    criteria = dict(state.last_search)
    if "make" in stated or "model" in stated:
        for key in ("make", "other_makes", "model"):
            criteria.pop(key, None)
    for group in (PRICE_KEYS, YEAR_KEYS):
        if any(key in stated for key in group):
            for key in group:
                criteria.pop(key, None)
    criteria.update(stated)
    return criteria


def _kept_price(reading: Reading, state: DialogueState) -> dict[str, Any]:
    """The last search's budget, for a new search "en ese precio" that states none of its own."""
    if not reading.keeps_the_price or any(key in reading.slots for key in PRICE_KEYS):
        return {}
    return {key: value for key, value in (state.last_search or {}).items() if key in PRICE_KEYS}


def _describe(criteria: dict[str, Any]) -> dict[str, Any]:
    return {"label": " ".join(str(criteria[key]) for key in ("make", "model") if criteria.get(key)), **criteria}


def _picked_by_trim(reading: Reading, recent: list[Vehicle]) -> list[Vehicle]:
    """ "¿la limited cuánto al mes?": the cars just listed whose version has that word, when it tells them apart
    (only when the message names no make, model or year: those say which car more surely)."""
    if not reading.trim_words or len(recent) < 2:
        return []
    picked = [vehicle for vehicle in recent if reading.trim_words & set(normalise(vehicle.version).split())]
    return picked if len(picked) < len(recent) else []


def _vehicles_in_question(reading: Reading, state: DialogueState) -> list[Vehicle]:
    """The vehicles a turn is about: named ones (preferring the last results), else the one in focus."""
    make, model = reading.slots.get("make"), reading.slots.get("model")
    year_min, year_max = reading.slots.get("year_min"), reading.slots.get("year_max")
    year = year_min if year_min and year_min == year_max else None
    if reading.other_one:
        return _the_other(state)
    recent = vehicles_by_stock_ids(state.last_results or state.last_discussed)
    if reading.list_position is not None and recent and reading.list_position < len(recent):
        return [recent[reading.list_position]]
    if reading.list_order and recent:
        field_name, largest = reading.list_order
        pick = max if largest else min
        return [pick(recent, key=lambda vehicle: getattr(vehicle, field_name))]
    by_trim = _picked_by_trim(reading, recent) if not (model or make or year) else []
    if by_trim:
        return by_trim
    if model or make:
        named = [v for v in recent if _is(v, make, model)] or vehicles_matching(make, model)
        if year is None:
            return named
        same_year = [v for v in named if v.year == year] or vehicles_matching(make, model, year)
        return same_year or named
    focus = vehicles_by_stock_ids([state.focus_stock_id]) if state.focus_stock_id else []
    if year is not None:
        same_year = [v for v in recent if v.year == year]
        if not same_year and focus:  # "¿y el 2022?" about the model in focus
            same_year = vehicles_matching(focus[0].make, focus[0].model, year)
        if same_year:
            return same_year
    if focus:
        return focus
    if len(recent) == 1:
        return recent
    return vehicles_by_stock_ids(state.last_discussed)  # "¿y el precio?" of the cars just described


def _the_other(state: DialogueState) -> list[Vehicle]:
    """Of two cars, the one not in focus; with more to choose from, none (the customer is asked which)."""
    for shown in (state.last_discussed, state.last_results):
        others = [stock_id for stock_id in shown if stock_id != state.focus_stock_id]
        if len(shown) == 2 and len(others) == 1:
            return vehicles_by_stock_ids(others)
    return []


def _is(vehicle: Vehicle, make: str | None, model: str | None) -> bool:
    return (not make or vehicle.make.casefold() == make.casefold()) and (
        not model or vehicle.model.casefold() == model.casefold()
    )


def _vehicle_details(reading: Reading, ctx: TurnContext) -> TurnResult:
    vehicles = _vehicles_in_question(reading, ctx.state)
    if not vehicles:
        if reading.slots.get("model") or reading.slots.get("make"):
            return _search(reading, ctx)
        ctx.state.pending = "details_vehicle"
        return TurnResult(reply=render_reply("which_vehicle"), intent="vehicle_details", slots=reading.slots)
    if len(vehicles) == 1:
        ctx.state.focus_stock_id = vehicles[0].stock_id
    ctx.state.last_discussed = [vehicle.stock_id for vehicle in vehicles[:REPLY_VEHICLES]]
    slots = _with_focus_slots(reading.slots, vehicles[0])
    cards = [vehicle_card(vehicle) for vehicle in vehicles[:REPLY_VEHICLES]]
    attributes = set(reading.attributes) | set(reading.features)
    if not attributes and ctx.state.last_intent == "vehicle_details":
        attributes = set(ctx.state.last_attributes)  # "¿y la ecosport?" asks the same about another car
    ctx.state.last_attributes = sorted(attributes)
    if "unknown_fact" in attributes:
        ctx.state.pending = "offer_handoff"  # "sí" puts a person on it
    elif len(vehicles) == 1:
        ctx.state.pending = "offer_financing"  # the reply ends "¿Quieres que te calcule la mensualidad?"
    reply = render_reply("vehicle_details", vehicles=cards, asks=attributes, everything=not attributes)
    return TurnResult(reply=reply, intent="vehicle_details", slots=slots, vehicles=cards, vehicles_total=len(vehicles))


def _with_focus_slots(slots: dict[str, Any], vehicle: Vehicle) -> dict[str, Any]:
    """Complete the turn's slots with the vehicle it relies on (contract §3)."""
    return {"make": vehicle.make, "model": vehicle.model, **slots}


# --- Financing -------------------------------------------------------------------


def _financing(reading: Reading, ctx: TurnContext) -> TurnResult:
    state = ctx.state
    stated = _longest_term(reading, ctx.terms, _minimum_down_payment(reading, ctx.terms))
    vehicles = _vehicles_in_question(reading, state)
    if not vehicles and reading.slots.get("max_monthly_payment"):
        return _search(reading, ctx)  # a monthly budget with no car yet: show what it buys
    if not vehicles:
        state.pending = "financing_vehicle"
        _remember_plan_choices(stated, state)
        reply = render_reply("financing_terms", terms=ctx.terms, general=reading.asks_terms)
        return TurnResult(reply=reply, intent="financing", slots=reading.slots)
    vehicle = vehicles[0]
    state.focus_stock_id = vehicle.stock_id
    term, down_payment, down_payment_pct = _plan_choices(stated, state)
    slots = _with_focus_slots(stated, vehicle)
    if term is not None:
        slots.setdefault("term_months", term)
    if down_payment is not None:
        slots.setdefault("down_payment", float(down_payment))
    elif down_payment_pct is not None:
        slots.setdefault("down_payment_pct", float(down_payment_pct))
    try:
        plans = [
            plan
            for months in _terms_asked(term, stated)
            for plan in financing_plans(
                vehicle.price,
                ctx.terms,
                term_months=months,
                down_payment=down_payment,
                down_payment_pct=down_payment_pct,
                stock_id=vehicle.stock_id,
            )
        ]
    except FinancingError as error:
        # What was not refused stays in force: a valid term outlives a down payment below the minimum.
        _remember_plan_choices(_without_refused(stated, error), state)
        reply = render_reply("financing_refused", error=error, terms=ctx.terms, vehicle=vehicle_card(vehicle))
        return TurnResult(reply=reply, intent="financing", slots=slots)
    _remember_plan_choices(stated, state)
    plan_dicts = [plan.as_dict() for plan in plans]
    state.last_plans = plan_dicts
    reply = render_reply(
        "financing_plans",
        plans=plan_dicts,
        vehicle=vehicle_card(vehicle),
        others=len(vehicles) - 1,
        terms=ctx.terms,
        show_minimum=reading.asks_minimum,
        minimum=vehicle.price * ctx.terms.min_down_payment_pct,
    )
    state.pending = "offer_lead"  # the reply ends "¿Te gustaría apartarlo o agendar una cita para verlo?"
    return TurnResult(reply=reply, intent="financing", slots=slots, financing=plan_dicts)


def _terms_asked(term: int | None, slots: dict[str, Any]) -> list[int | None]:
    """The terms to show: the one in force, and those the message compares it with ("a 36 y a 48 meses")."""
    if term is None:
        return [None]  # one plan per whole year of the range
    return [term, *(int(other) for other in slots.get("other_term_months", ()) if other != term)]


def _minimum_down_payment(reading: Reading, terms: FinancingTerms) -> dict[str, Any]:
    """ "¿Con el enganche mínimo?" states the assistant's minimum share as the down payment."""
    stated = "down_payment" in reading.slots or "down_payment_pct" in reading.slots
    if stated or not reading.wants_minimum_down_payment:
        return reading.slots
    return {**reading.slots, "down_payment_pct": float(terms.min_down_payment_pct)}


def _longest_term(reading: Reading, terms: FinancingTerms, slots: dict[str, Any]) -> dict[str, Any]:
    """ "Al máximo que se pueda" states the assistant's longest term."""
    if "term_months" in slots or not reading.wants_longest_term:
        return slots
    return {**slots, "term_months": terms.max_term_months}


def _plan_choices(slots: dict[str, Any], state: DialogueState) -> tuple[int | None, Decimal | None, Decimal | None]:
    term = slots.get("term_months", state.term_months)
    if "down_payment" in slots or "down_payment_pct" in slots:
        down_payment, down_payment_pct = slots.get("down_payment"), slots.get("down_payment_pct")
    else:
        down_payment, down_payment_pct = state.down_payment, state.down_payment_pct
    return (
        int(term) if term is not None else None,
        Decimal(str(down_payment)) if down_payment is not None else None,
        Decimal(str(down_payment_pct)) if down_payment_pct is not None else None,
    )


REFUSED_SLOTS = {
    "term_out_of_range": ("term_months",),
    "down_payment_too_low": ("down_payment", "down_payment_pct"),
    "down_payment_too_high": ("down_payment", "down_payment_pct"),
}


def _without_refused(slots: dict[str, Any], error: FinancingError) -> dict[str, Any]:
    refused = REFUSED_SLOTS.get(error.code)
    if refused is None:  # an invalid value: nothing of this message is kept
        return {}
    return {name: value for name, value in slots.items() if name not in refused}


def _remember_plan_choices(slots: dict[str, Any], state: DialogueState) -> None:
    """A term or down payment the customer states stays in force until they change it."""
    if "other_term_months" in slots:
        state.term_months = None  # several terms compared: none of them is the customer's choice yet
    elif "term_months" in slots:
        state.term_months = int(slots["term_months"])
    if "down_payment" in slots:
        state.down_payment, state.down_payment_pct = float(slots["down_payment"]), None
    elif "down_payment_pct" in slots:
        state.down_payment, state.down_payment_pct = None, float(slots["down_payment_pct"])


# --- Leads -------------------------------------------------------------------------


def _create_lead(reading: Reading, ctx: TurnContext) -> TurnResult:
    state = ctx.state
    vehicles = _vehicles_in_question(reading, state)
    vehicle = vehicles[0] if vehicles else None
    if vehicle is None and (len(state.last_results) > 1 or reading.points_at_a_car):
        state.pending = "lead_vehicle"
        return TurnResult(reply=render_reply("which_vehicle"), intent="create_lead", slots=reading.slots)
    plan = _plan_for(vehicle, state) if vehicle else None
    # The same car asked for again in this conversation: the lead it has already, under its folio.
    lead = lead_for_car(ctx.conversation, vehicle) or lead_draft(
        assistant=ctx.assistant,
        conversation=ctx.conversation,
        vehicle=vehicle,
        plan=plan,
        customer_phone=ctx.sender,
        customer_name=ctx.profile_name,
        request=reading.text[:300],
    )
    # The same phone asked for this car in another conversation (WhatsApp, then the web): that lead, flagged.
    earlier = lead_for_phone_and_car(lead.customer_phone, vehicle) if isinstance(lead, LeadDraft) else None
    if earlier is not None:
        lead, ctx.writes.lead_requested_again = earlier, earlier
    already = not isinstance(lead, LeadDraft)
    if not already:
        ctx.writes.lead = lead
    if vehicle is not None:
        state.focus_stock_id = vehicle.stock_id
    card = vehicle_card(vehicle) if vehicle else None
    ask_phone = not lead.customer_phone
    if ask_phone:
        state.lead_waiting_phone = lead.folio
    reply = render_reply(
        "lead_created",
        folio=lead.folio,
        vehicle=card,
        plan=None if already else plan,
        name=ctx.profile_name,
        ask_phone=ask_phone,
        already=already,
    )
    slots = _with_focus_slots(reading.slots, vehicle) if vehicle else reading.slots
    return TurnResult(
        reply=reply,
        intent="create_lead",
        slots=slots,
        vehicles=[card] if card else [],
        vehicles_total=1 if card else 0,
        financing=[plan] if plan else [],
        lead={"folio": lead.folio},
    )


def _lead_phone_answer(reading: Reading, ctx: TurnContext) -> TurnResult | None:
    """The phone a web customer gives after asking for a car goes on that lead."""
    folio, ctx.state.lead_waiting_phone = ctx.state.lead_waiting_phone, None
    # "55 1234 5678", "(55) 1234 5678", "+52 1 55-1234-5678": the same reading of phones as logs and privacy.
    spans = phone_spans(reading.text) if folio else []
    if not spans:
        return None
    start, end = spans[0]
    phone = phone_e164(reading.text[start:end]) or re.sub(r"[^\d+]", "", reading.text[start:end])
    ctx.writes.lead_contact = (folio, phone)
    reply = render_reply("lead_phone_saved", folio=folio, phone=phone)
    return TurnResult(reply=reply, intent="create_lead", slots=reading.slots, lead={"folio": folio})


def _plan_for(vehicle: Vehicle, state: DialogueState) -> dict[str, Any] | None:
    plans = [plan for plan in state.last_plans if plan.get("stock_id") == vehicle.stock_id]
    if state.term_months:
        plans = [plan for plan in plans if plan.get("term_months") == state.term_months] or plans
    return plans[0] if len(plans) == 1 else None


HANDLERS: dict[str, Callable[[Reading, TurnContext], TurnResult]] = {
    "greet": _greet,
    "goodbye": _goodbye,
    "help": _help,
    "value_proposition": _value_proposition,
    "locations": _locations,
    "search_vehicles": _search,
    "vehicle_details": _vehicle_details,
    "financing": _financing,
    "create_lead": _create_lead,
    "faq": _faq,
    "human_handoff": _human_handoff,
    "out_of_scope": _out_of_scope,
}
