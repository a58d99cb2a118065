"""Dialogue acts and asks read from a message: what it does to the conversation and asks of a plan.

The dialogue decides with these booleans (fields of the Reading, named as the patterns of
resources/es_mx/acts.yaml) instead of reading the text again. Each reads the normalised text:
"¿y si trabajo remoto?" puts a case to the last answer, "¿cómo las pido?" refers back to it,
"¿con el enganche mínimo?" wants the minimum down payment, "ya me voy, bye" takes leave.
"""

from nlu import language

_acts = language.load("acts")

ACTS = (
    "puts_a_case",
    "refers_back",
    "asks_terms",
    "wants_minimum_down_payment",
    "wants_longest_term",
    "asks_minimum",
    "points_at_a_car",
    "takes_leave",
    "says_yes",
    "keeps_the_price",
)


def read_acts(normalised: str) -> dict[str, bool]:
    """Each act of ACTS, read from a normalised message."""
    return {name: bool(_acts.pattern(name).search(normalised)) for name in ACTS}


def without_kept_price(normalised: str) -> str:
    """The message without the words that keep the last budget: "en ese precio" asks no price."""
    return _acts.pattern("keeps_the_price").sub(" ", normalised)


def turns_down(normalised: str) -> bool:
    """Whether a remark turns the car or the offer down ("uff, muchos km"); not an act of the Reading: the
    pipeline asks it of the part before a closing only."""
    return bool(_acts.pattern("turns_down").search(normalised))
