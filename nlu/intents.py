"""Intent classification: which of the contract's 12 intents a turn is.

Rules over the normalised text (accents stripped, abbreviations expanded), helped by
what the lower layers found (slots, catalog mentions, the best FAQ) and by the
dialogue context (a vehicle in focus, the last intent). Each cue adds weight to an
intent; the heaviest wins. Cues are about how people ask, never about one sentence.
"""

from dataclasses import dataclass, field

from nlu import language
from nlu.config import PipelineConfig, pipeline_config

INTENTS = (
    "greet",
    "goodbye",
    "help",
    "value_proposition",
    "locations",
    "search_vehicles",
    "vehicle_details",
    "financing",
    "create_lead",
    "faq",
    "human_handoff",
    "out_of_scope",
)

_cues = language.load("intents")
ATTRIBUTE_PREFIX = "attribute_"  # intents.yaml names each vehicle-attribute cue attribute_<attribute>

HANDOFF = _cues.pattern("handoff")
LEAD = _cues.pattern("lead")
FINANCING = _cues.pattern("financing")
# Vehicle attributes a message asks about, in the data file's order (the order detail_attributes reports).
DETAIL_PATTERNS = {
    name.removeprefix(ATTRIBUTE_PREFIX): _cues.pattern(name)
    for name in _cues.names("patterns")
    if name.startswith(ATTRIBUTE_PREFIX)
}
SEARCH = _cues.pattern("search")
CAR_NOUN = _cues.pattern("car_noun")
FAQ_QUESTION = _cues.pattern("faq_question")
HELP = _cues.pattern("help")
VALUE = _cues.pattern("value")
LOCATIONS = _cues.pattern("locations")
GOODBYE = _cues.pattern("goodbye")
ACKNOWLEDGEMENT_WORDS = _cues.words("acknowledgement")
COURTESY_WORDS = _cues.words("courtesy")
ANSWER_WORDS = _cues.words("answers")
# Words of a message that only answers the bot's last question ("sí, porfa", "ok gracias").
SHORT_ANSWER_WORDS = ACKNOWLEDGEMENT_WORDS | COURTESY_WORDS | ANSWER_WORDS
GREET = _cues.pattern("greet")
INSTRUCTION = _cues.pattern("instruction")
INJECTION = _cues.pattern("injection")
OUT_OF_SCOPE = _cues.pattern("out_of_scope")
ANGRY = _cues.pattern("angry")
AFFIRM = _cues.pattern("affirm")
DENY = _cues.pattern("deny")
CONTINUATION = _cues.pattern("continuation")
# Dealer policy topics: questions about them are FAQs even when they name a car or a price.
POLICY_TOPIC = _cues.pattern("policy_topic")
POSSIBILITY_QUESTION = _cues.pattern("possibility_question")
INTEREST = _cues.pattern("interest")
FRESH_SEARCH = _cues.pattern("fresh_search")
SAME_PLAN = _cues.pattern("same_plan")
PRONOUN_REFERENCE = _cues.pattern("pronoun_reference")


@dataclass
class IntentFeatures:
    """What the lower layers and the context add to the text itself."""

    kind: str = "sales"  # the assistant's kind names its pipeline (nlu/resources/pipelines.yaml)
    slots: dict = field(default_factory=dict)
    has_vehicle_mention: bool = False
    unknown_make: bool = False
    faq_score: float = 0.0
    faq_threshold: float = 1.0
    has_focus: bool = False
    has_recent_results: bool = False
    has_cars_in_talk: bool = False  # a car in focus, the last list or the cars just described
    has_faq_in_focus: bool = False
    picks_from_list: bool = False  # "el primero", "la más nueva" of the last list
    last_intent: str | None = None
    changes_the_plan: bool = False  # "al máximo que se pueda", "¿con el enganche mínimo?"
    learned: dict[str, float] = field(default_factory=dict)  # each intent's probability from the examples' model

    @property
    def pipeline(self) -> PipelineConfig:
        return pipeline_config(self.kind)

    @property
    def beside_a_catalog(self) -> bool:
        """The assistant sells from a catalog: FAQs are policies beside it, cars are what is asked about."""
        return self.pipeline.reads_catalog


@dataclass
class IntentScore:
    intent: str
    confidence: float
    attributes: tuple[str, ...] = ()
    angry: bool = False


FINANCING_SLOTS = ("term_months", "down_payment", "down_payment_pct")


MONTHLY = _cues.pattern("monthly")
CONSTRAINT_OF = {"km": "max_km", "price": "max_price", "year": "year_min"}
# Asking for something, as opposed to asking about something: with a filter stated, it is a search.
WANT = _cues.pattern("want")


def detail_attributes(text: str, slots: dict | None = None) -> tuple[str, ...]:
    """Vehicle attributes a message asks about; a figure it states as a filter is not a question."""
    found = [name for name, pattern in DETAIL_PATTERNS.items() if pattern.search(text)]
    if "price" in found and MONTHLY.search(text):
        found.remove("price")
    stated = slots or {}
    return tuple(name for name in found if CONSTRAINT_OF.get(name) not in stated)


# The examples' model speaks for how people say things the cues do not cover; a cue that fires
# (a weight of 3.5 to 6) still outweighs it unless the model is sure of another intent.
LEARNED_WEIGHT = 3.0
GREETING_MAX_WORDS = 8  # past this, a greeting opens a request rather than being the message


def classify(text: str, features: IntentFeatures) -> IntentScore:
    """Score every intent and return the heaviest; `text` is normalised."""
    scores = dict.fromkeys(INTENTS, 0.0)
    attributes = detail_attributes(text, features.slots)
    angry = bool(ANGRY.search(text))
    _score_conversation_intents(text, scores)
    if features.beside_a_catalog:
        _score_sales_intents(text, features, attributes, scores)
    _score_faq(text, features, scores)
    _score_context(text, features, attributes, scores)
    if not _bare_acknowledgement(text):  # "sí", "va" answer the bot's last offer: the dialogue reads them
        for name, probability in _learned(text, features).items():
            if _learned_counts(name, features):
                scores[name] += LEARNED_WEIGHT * probability
    for name in INTENTS:
        if name not in features.pipeline.intents:
            scores[name] = 0.0
    intent, best = max(scores.items(), key=lambda item: item[1])
    if best < 1.0:
        intent = "out_of_scope"
    confidence = min(1.0, best / 4.0) if intent != "out_of_scope" else 0.5
    return IntentScore(intent=intent, confidence=confidence, attributes=attributes, angry=angry)


def _score_conversation_intents(text: str, scores: dict[str, float]) -> None:
    words = text.split()
    if HANDOFF.search(text):
        scores["human_handoff"] += 6
    if HELP.search(text):
        scores["help"] += 5.5
    if VALUE.search(text):
        scores["value_proposition"] += 5
    if LOCATIONS.search(text):
        scores["locations"] += 3.5
    if GOODBYE.search(text):
        scores["goodbye"] += 3.5 if len(words) <= 8 else 1.5
    elif _only_thanks(words):
        scores["goodbye"] += 3.5
    if GREET.search(text):
        scores["greet"] += 2.5 if len(words) <= GREETING_MAX_WORDS else 1.2
    if INTEREST.search(text):
        scores["vehicle_details"] += 0.1  # settled in the sales scoring, where the vehicle mention is known
    if OUT_OF_SCOPE.search(text):
        scores["out_of_scope"] += 4
    if INSTRUCTION.search(text) or INJECTION.search(text):
        scores["out_of_scope"] += 12  # instructions inside user text never steer the tools


THANKS_WORDS = _cues.words("thanks")
QUESTION_WORDS = _cues.words("question")


def _learned(text: str, features: IntentFeatures) -> dict[str, float]:
    """The model reads how a thing is asked; what it points at is structure: asking about a car of
    the last list ("¿cuál me recomiendas?", "¿y el tercero?") is about that car, not a new search."""
    learned = dict(features.learned)
    if len(text.split()) > GREETING_MAX_WORDS and "greet" in learned:
        learned["greet"] /= 2  # as with the cue: a long message greets on its way to something else
    if features.picks_from_list and "search_vehicles" in learned:
        learned["vehicle_details"] = learned.get("vehicle_details", 0.0) + learned.pop("search_vehicles")
    return learned


def _learned_counts(intent: str, features: IntentFeatures) -> bool:
    """out_of_scope is "none of the above", left to the threshold; a sales FAQ needs a FAQ that matched."""
    if intent == "out_of_scope":
        return False
    return intent != "faq" or not features.pipeline.faq_needs_a_match or features.faq_score > 0


def _bare_acknowledgement(text: str) -> bool:
    words = text.split()
    return bool(words) and all(word in SHORT_ANSWER_WORDS for word in words)


def requests_something(normalised: str) -> bool:
    """Whether a normalised text asks a question or for a search, a plan, a lead or a person."""
    if any(word in QUESTION_WORDS for word in normalised.split()):
        return True
    return any(pattern.search(normalised) for pattern in (SEARCH, FINANCING, LEAD, HANDOFF))


def is_injection(normalised: str) -> bool:
    """Whether a normalised text tries to instruct the assistant: its rules, its role, an operator's note."""
    return bool(INSTRUCTION.search(normalised))


def _only_thanks(words: list[str]) -> bool:
    """ "va, muchas gracias 🙏", "okas gracias": thanks with nothing asked closes the conversation."""
    if not words or len(words) > 8 or not any(word in THANKS_WORDS for word in words):
        return False
    if any(word in QUESTION_WORDS for word in words):
        return False
    unknown = [word for word in words if word not in ACKNOWLEDGEMENT_WORDS and word not in THANKS_WORDS]
    return not unknown or (len(unknown) == 1 and len(words) <= 4)  # one stray word: "okas gracias"


def _score_sales_intents(
    text: str, features: IntentFeatures, attributes: tuple[str, ...], scores: dict[str, float]
) -> None:
    slots = features.slots
    if LEAD.search(text):
        scores["create_lead"] += 5
    financing_slots = sum(1 for name in FINANCING_SLOTS if name in slots)
    if FINANCING.search(text):
        scores["financing"] += 3.5 + (1.5 if features.has_vehicle_mention else 0)  # "financiar una tiguan"
    scores["financing"] += 2.5 * financing_slots
    if SEARCH.search(text):
        scores["search_vehicles"] += 3
    constraints = _constraint_count(slots, named=features.has_vehicle_mention)
    scores["search_vehicles"] += 1.2 * constraints
    narrows = features.last_intent in ("search_vehicles", "vehicle_details") and not _picks_a_year_of_the_list(text, features)
    if constraints and narrows and not financing_slots:
        scores["search_vehicles"] += 2  # "de esas, ¿cuáles son del 2023?" narrows the last list
    if features.unknown_make:
        scores["search_vehicles"] += 2.5
    about_a_vehicle = features.has_vehicle_mention or features.has_focus or features.has_recent_results
    if attributes and _wished(text, attributes):
        scores["search_vehicles"] += 3  # "busco la jolion híbrida": a version wished for filters the search
    elif attributes and about_a_vehicle:
        scores["vehicle_details"] += 5 + 0.5 * len(attributes)
    elif attributes:
        scores["vehicle_details"] += 1.5
    if scores["help"] and (constraints or "max_monthly_payment" in slots or CAR_NOUN.search(text)):
        scores["help"] -= 3  # "¿qué opciones tienen para alguien que gana 15 mil?" asks for cars, not the menu
    if constraints and WANT.search(text) and not financing_slots:
        scores["search_vehicles"] += 1.5  # "busco un sedán automático": a wish with a filter
    if features.has_vehicle_mention and not (attributes or financing_slots):
        scores["search_vehicles"] += 1.5
        if INTEREST.search(text) and not constraints:
            scores["vehicle_details"] += 4  # "me interesa el audi a1": tell me about that car
    if features.has_vehicle_mention or _constraint_count(slots, named=features.has_vehicle_mention):
        scores["greet"] -= 2  # "hola, tienen…" greets on the way to a request
    if features.picks_from_list:
        scores["vehicle_details"] += 3.5  # "¿cuál es la más nueva?" is about one car of the list
    if POSSIBILITY_QUESTION.search(text):
        scores["create_lead"] -= 3  # "¿puedo manejarlo antes?" asks whether, it does not ask for


def _constraint_count(slots: dict, *, named: bool) -> int:
    """Search constraints stated; an exact year beside a model ("la versa 2020") names a car, not a filter."""
    count = sum(1 for name in ("min_price", "max_price", "max_km", "body_type", "transmission") if name in slots)
    year_min, year_max = slots.get("year_min"), slots.get("year_max")
    if (year_min or year_max) and (year_min != year_max or not named):
        count += 1
    return count


def _score_faq(text: str, features: IntentFeatures, scores: dict[str, float]) -> None:
    words = text.split()
    # "¿qué me ofrece la empresa para crecer?" asks the assistant's own question, even right after a FAQ.
    explicit = max(scores["value_proposition"], scores["help"], scores["human_handoff"]) >= 5
    following = CONTINUATION.search(text) or len(words) <= 7
    if features.has_faq_in_focus and following and not explicit and not _only_thanks(words):
        scores["faq"] += 2.0  # "¿y si cae en domingo?" follows the FAQ just answered
    if features.beside_a_catalog and POLICY_TOPIC.search(text) and features.faq_score > 0.2 and not explicit:
        # A policy, not a car; but asking for a person about it asks for the person.
        scores["faq"] += 4 + 5 * max(0.0, features.faq_score - features.faq_threshold)
    if features.faq_score <= 0:
        return
    margin = features.faq_score - features.faq_threshold
    if margin >= 0:
        scores["faq"] += 4 + 5 * margin
        if features.beside_a_catalog and (features.has_vehicle_mention or features.slots):
            scores["faq"] -= 2.5
        asked = ("financing", "create_lead", "help", "human_handoff")
        if features.beside_a_catalog and max(scores[name] for name in asked) >= 3.5:
            scores["faq"] -= 2  # an explicit request outweighs a loose FAQ match

    elif not features.beside_a_catalog and FAQ_QUESTION.search(text) and margin > -0.15:
        # A question near the threshold is still about work: answer "I don't know" as a FAQ.
        scores["faq"] += 1.0


def _score_context(text: str, features: IntentFeatures, attributes: tuple[str, ...], scores: dict[str, float]) -> None:
    if not features.beside_a_catalog:
        return
    continuing = bool(CONTINUATION.search(text))
    if features.last_intent == "financing" and continuing and features.has_focus:
        scores["financing"] += 1.0
    if features.last_intent == "financing" and features.changes_the_plan and features.has_focus:
        scores["financing"] += 4.0  # "ok, mejor al máximo": a new term for the plan in focus, no yes to the offer
    if features.last_intent == "vehicle_details" and continuing and attributes:
        scores["vehicle_details"] += 1.0
    if _asks_the_same_about_another(text, features, attributes, continuing) or _picks_a_year_of_the_list(text, features):
        scores[features.last_intent] += 4.0  # "¿y la ecosport?", "¿y el 2022?" ask again about another car
    if features.has_focus and PRONOUN_REFERENCE.search(text) and scores["create_lead"] > 0:
        scores["create_lead"] += 1.0


# A car's fuel, drive or transmission can be wished for in a search or asked about ("¿es diésel?").
WISHABLE_ATTRIBUTES = frozenset({"version", "transmission"})
WISHABLE_VERSIONS = _cues.words("wishable_versions")


def _wished(text: str, attributes: tuple[str, ...]) -> bool:
    if not set(attributes) <= WISHABLE_ATTRIBUTES or not WISHABLE_VERSIONS.intersection(text.split()):
        return False
    return bool(WANT.search(text) or SEARCH.search(text))


def _picks_a_year_of_the_list(text: str, features: IntentFeatures) -> bool:
    """ "la 2021", "el del 19" right after a plan or an answer about cars of the last list: the same, for the car of
    that year (a search says so: "¿tienen del 2021?")."""
    slots = features.slots
    if features.last_intent not in ("financing", "vehicle_details") or not features.has_cars_in_talk:
        return False
    only_a_year = set(slots) <= {"year_min", "year_max"} and slots.get("year_min") == slots.get("year_max") is not None
    return only_a_year and not (SEARCH.search(text) or FRESH_SEARCH.search(text) or FINANCING.search(text))


def _asks_the_same_about_another(
    text: str, features: IntentFeatures, attributes: tuple[str, ...], continuing: bool
) -> bool:
    if not continuing or features.last_intent not in ("financing", "vehicle_details", "search_vehicles"):
        return False
    slots = features.slots
    names_a_car = features.has_vehicle_mention or (
        slots.get("year_min") and slots.get("year_min") == slots.get("year_max")
    )
    asks_something_new = FRESH_SEARCH.search(text) or FINANCING.search(text) or attributes
    return bool(names_a_car) and not asks_something_new
