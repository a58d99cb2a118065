"""Body types: the words customers use for them, and what each model sold in Mexico is.

`BODY_TYPE_WORDS` maps what people write ("camioneta", "troca", "pick up") to the
canonical body type of `catalog.models.BodyType`. `infer_body_type` tells the body type
of a make and model from a knowledge table of the Mexican market, then from the
version name ("2.0 SEDAN I TA"), then from the dimensions; "" when it cannot tell.
"""

import re
import unicodedata

from nlu import language

SEDAN = "sedan"
HATCHBACK = "hatchback"
SUV = "suv"
PICKUP = "pickup"
MINIVAN = "minivan"
COUPE = "coupe"

_data = language.load("body_types")

BODY_TYPE_WORDS: dict[str, str] = _data.table("body_type_words")

# "camioneta" is the generic word: a more specific word in the same message wins ("camioneta pick up").
GENERIC_BODY_WORDS = _data.words("generic_body_words")

# Make → model → body type for models sold in Mexico (the data file lists them make → body type → models).
MODEL_BODY_TYPES: dict[str, dict[str, str]] = {
    make: {model: body for body, models in bodies.items() for model in models}
    for make, bodies in _data.table("model_body_types").items()
}

_VERSION_HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (_data.pattern(f"version_{body}"), body) for body in (HATCHBACK, SEDAN, COUPE, PICKUP)
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def compact_key(text: str) -> str:
    """Lower case, no accents, letters and digits only: "CX-5" → "cx5", "Citroën" → "citroen"."""
    folded = text.casefold()
    if not folded.isascii():
        folded = "".join(char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char))
    return _NON_ALNUM.sub("", folded)


_BODY_BY_MAKE_MODEL: dict[tuple[str, str], str] = {
    (compact_key(make), compact_key(model)): body
    for make, models in MODEL_BODY_TYPES.items()
    for model, body in models.items()
}
_KNOWN_MAKE_KEYS = frozenset(compact_key(make) for make in MODEL_BODY_TYPES)
_BODY_BY_MODEL: dict[str, str] = {}
for (_make_key, _model_key), _body in _BODY_BY_MAKE_MODEL.items():
    _BODY_BY_MODEL.setdefault(_model_key, _body)


def infer_body_type(
    make: str, model: str, height_mm: int | None = None, length_mm: int | None = None, *, version: str = ""
) -> str:
    """The body type of a vehicle: from the model, the version name, then the dimensions; "" if unknown."""
    make_key, model_key = compact_key(make), compact_key(model)
    from_version = _body_from_version(version)
    known = _BODY_BY_MAKE_MODEL.get((make_key, model_key)) or _body_from_model_name(make_key, model_key)
    if from_version and known in (SEDAN, HATCHBACK, COUPE, "") and from_version != PICKUP:
        return from_version  # "Mazda 3 2.5 HATCHBACK": the version tells which of the two bodies
    if known:
        return known
    return from_version or _body_from_dimensions(height_mm, length_mm)


def _body_from_model_name(make_key: str, model_key: str) -> str:
    """"Mazda3" or a bare "3" for the table's "Mazda 3"; a model of an unknown make by its name alone."""
    bare = model_key[len(make_key) :] if model_key.startswith(make_key) else model_key
    for candidate in (bare, make_key + model_key):
        found = _BODY_BY_MAKE_MODEL.get((make_key, candidate))
        if found:
            return found
    if make_key in _KNOWN_MAKE_KEYS:
        return ""  # a make we know, with a model we don't: don't borrow another make's model
    return _BODY_BY_MODEL.get(model_key, "")


def _body_from_version(version: str) -> str:
    folded = version.casefold()
    for pattern, body in _VERSION_HINTS:
        if pattern.search(folded):
            return body
    return ""


def _body_from_dimensions(height_mm: int | None, length_mm: int | None) -> str:
    if not height_mm or not length_mm:
        return ""
    if height_mm >= 1780 and length_mm >= 5200:
        return PICKUP
    if height_mm >= 1550 and length_mm >= 4100:
        return SUV
    if length_mm < 4150:
        return HATCHBACK
    return SEDAN
