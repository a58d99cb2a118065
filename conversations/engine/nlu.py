"""Understanding a turn: normalise → numbers → vocabulary → slots → intent, into one Reading."""

from dataclasses import dataclass, field
from typing import Any

from catalog.vocabulary import Vocabulary
from conversations.engine.faq_match import CONFIDENCE_THRESHOLD, FaqIndex, FaqMatch
from conversations.engine.intents import (
    AFFIRM,
    CONTINUATION,
    DENY,
    SEARCH,
    IntentFeatures,
    classify,
)
from conversations.engine.normalise import normalise
from conversations.engine.references import list_position
from conversations.engine.slots import extract_slots
from conversations.engine.state import DialogueState


@dataclass
class Reading:
    text: str
    normalised: str
    intent: str
    confidence: float
    slots: dict[str, Any] = field(default_factory=dict)
    features: tuple[str, ...] = ()  # vehicle features asked for: bluetooth, car_play
    attributes: tuple[str, ...] = ()  # vehicle attributes asked about: year, km, version…
    unknown_make: str | None = None
    faq: FaqMatch | None = None
    angry: bool = False
    affirm: bool = False
    deny: bool = False
    continuing: bool = False
    list_position: int | None = None  # "el primero", "el más barato": a vehicle of the last list

    @property
    def faq_confident(self) -> bool:
        return self.faq is not None and self.faq.score >= CONFIDENCE_THRESHOLD


def understand(
    text: str, *, state: DialogueState, vocabulary: Vocabulary, faq_index: FaqIndex | None, kind: str
) -> Reading:
    normalised = normalise(text)
    slots = extract_slots(normalised, vocabulary) if kind == "sales" else {}
    features = tuple(slots.pop("features", ()) or ())
    slots = _read_in_context(normalised, slots, state)
    mentions = vocabulary.find(normalised) if kind == "sales" else None
    unknown_make = mentions.unknown_make if mentions else None
    faq = faq_index.best(text) if faq_index is not None else None
    position = list_position(normalised)
    intent_features = IntentFeatures(
        kind=kind,
        slots=slots,
        has_vehicle_mention=bool(
            slots.get("make") or slots.get("model") or (position is not None and state.last_results)
        ),
        unknown_make=bool(unknown_make),
        faq_score=faq.score if faq else 0.0,
        faq_threshold=CONFIDENCE_THRESHOLD,
        has_focus=bool(state.focus_stock_id or len(state.last_results) == 1),
        has_recent_results=bool(state.last_results),
        has_faq_in_focus=state.faq_in_focus is not None and state.last_intent == "faq",
        last_intent=state.last_intent,
    )
    scored = classify(normalised, intent_features)
    return Reading(
        text=text,
        normalised=normalised,
        intent=scored.intent,
        confidence=scored.confidence,
        slots=slots,
        features=features,
        attributes=scored.attributes,
        unknown_make=unknown_make,
        faq=faq,
        angry=scored.angry,
        affirm=bool(AFFIRM.search(normalised)),
        deny=bool(DENY.search(normalised)),
        continuing=bool(CONTINUATION.search(normalised)),
        list_position=position,
    )


def _read_in_context(text: str, slots: dict[str, Any], state: DialogueState) -> dict[str, Any]:
    """While a plan is being discussed, "¿y con 100 mil?" is a down payment, not a budget."""
    talking_plans = state.last_intent == "financing" and state.focus_stock_id
    bare_amount = set(slots) == {"max_price"} and not SEARCH.search(text)
    if talking_plans and bare_amount:
        return {"down_payment": slots["max_price"]}
    return slots
