"""Dialogue acts and asks read from a message: what it does to the conversation and asks of a plan.

The dialogue decides with these booleans (fields of the Reading) instead of reading the text
again. Each reads the normalised text; the cues are data (resources/es_mx/acts.yaml).
"""

from nlu import language

_acts = language.load("acts")

PUTS_A_CASE = _acts.pattern("puts_a_case")
REFERS_BACK = _acts.pattern("refers_back")
ASKS_TERMS = _acts.pattern("asks_terms")
WANTS_MINIMUM_DOWN_PAYMENT = _acts.pattern("wants_minimum_down_payment")
ASKS_MINIMUM = _acts.pattern("asks_minimum")
POINTS_AT_A_CAR = _acts.pattern("points_at_a_car")
TAKES_LEAVE = _acts.pattern("takes_leave")


def takes_leave(normalised: str) -> bool:
    """ "ok gracias, ya me voy, bye": the customer is leaving, whatever word the message opens with."""
    return bool(TAKES_LEAVE.search(normalised))


def puts_a_case(normalised: str) -> bool:
    """ "¿y si trabajo remoto?": a case put to the last answer (only at the message's start)."""
    return bool(PUTS_A_CASE.match(normalised))


def refers_back(normalised: str) -> bool:
    """ "¿cómo las pido?", "¿dónde lo subo?": a pronoun pointing back at the last topic."""
    return bool(REFERS_BACK.search(normalised))


def asks_terms(normalised: str) -> bool:
    """The financing terms asked in general: the rate, the minimum, the term."""
    return bool(ASKS_TERMS.search(normalised))


def wants_minimum_down_payment(normalised: str) -> bool:
    """ "¿Con el enganche mínimo?": a plan with the assistant's minimum down payment."""
    return bool(WANTS_MINIMUM_DOWN_PAYMENT.search(normalised))


def asks_minimum(normalised: str) -> bool:
    """ "¿Cuánto es lo mínimo de enganche?": the minimum down payment asked about."""
    return bool(ASKS_MINIMUM.search(normalised))


def points_at_a_car(normalised: str) -> bool:
    """ "lo quiero", "quiero apartarlo": a car already named is pointed at."""
    return bool(POINTS_AT_A_CAR.search(normalised))
