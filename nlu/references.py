"""References to a vehicle of the last list: "el primero", "la segunda opción", "el más barato"."""

import re

from nlu import language
from nlu.vocabulary import STOP_WORDS, is_headword

_cues = language.load("references")
ORDINALS: dict[str, int] = _cues.table("ordinals")  # ordinal word → 0-based position, -1 for the last
CHEAPEST = _cues.pattern("cheapest")
PRICIEST = _cues.pattern("priciest")
# Superlatives over the last list that sort it by another field: (field, largest first).
SUPERLATIVES = (
    (_cues.pattern("newest"), ("year", True)),
    (_cues.pattern("oldest"), ("year", False)),
    (_cues.pattern("least_km"), ("km", False)),
    (_cues.pattern("most_km"), ("km", True)),
)
# "¿cuál me recomiendas?" of a list: the newest, the one a salesperson would point at first.
RECOMMENDED = _cues.pattern("recommended")
# "¿algo más barato?", "¿hay otra más nueva?": past the cars of the last list, by price or by year.
PAST_THE_LIST = (
    ("price", _cues.pattern("cheaper")),
    ("year", _cues.pattern("newer")),
)
OTHER = _cues.pattern("other")
# The ordinal words come from the table, so a new ordinal is one line of data; group 1 is the word.
ORDINAL = re.compile(_cues.alternatives("ordinal_lead")[0] + "(" + "|".join(ORDINALS) + r")\b")
NUMBERED = _cues.pattern("numbered")


def list_order(text: str) -> tuple[str, bool] | None:
    """("year", True) for "la más nueva": pick from the last list by that field, largest first."""
    for pattern, order in SUPERLATIVES:
        if pattern.search(text):
            return order
    if RECOMMENDED.search(text):
        return ("year", True)
    return None


def list_position(text: str) -> int | None:
    """0-based position in the last list (-1 for the last one), or None when the text names none."""
    if CHEAPEST.search(text):
        return 0
    if PRICIEST.search(text):
        return -1
    if match := ORDINAL.search(text):
        return ORDINALS[match.group(1)]
    if match := NUMBERED.search(text):
        number = int(match.group(1))
        return number - 1 if number >= 1 else None
    return None


def points_to_the_other(text: str) -> bool:
    """ "¿y la otra?": the car of the last two that is not in focus."""
    return bool(OTHER.search(text))


def past_the_list(text: str) -> str | None:
    """ "price" for "¿algo más barato?", "year" for "¿hay otra más nueva?"; None otherwise."""
    return next((field for field, pattern in PAST_THE_LIST if pattern.search(text)), None)

MIN_TRIM_WORD = 3


def trim_words(normalised: str) -> frozenset[str]:
    """Words that may name a version or trim ("la limited", "la veloce"): not a Spanish headword, not a stop
    word, not a number. The dialogue matches them against the versions of the cars it just listed."""
    return frozenset(
        word
        for word in normalised.split()
        if len(word) >= MIN_TRIM_WORD and word.isalpha() and word not in STOP_WORDS and not is_headword(word)
    )
