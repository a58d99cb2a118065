"""References to a vehicle of the last list: "el primero", "la segunda opción", "el más barato"."""

import re

ORDINALS = {
    "primer": 0,
    "primero": 0,
    "primera": 0,
    "segundo": 1,
    "segunda": 1,
    "tercer": 2,
    "tercero": 2,
    "tercera": 2,
    "cuarto": 3,
    "cuarta": 3,
    "quinto": 4,
    "quinta": 4,
    "sexto": 5,
    "sexta": 5,
    "septimo": 6,
    "septima": 6,
    "octavo": 7,
    "octava": 7,
    "noveno": 8,
    "novena": 8,
    "decimo": 9,
    "decima": 9,
    "ultimo": -1,
    "ultima": -1,
}
CHEAPEST = re.compile(
    r"\b(?:el|la|lo|cual es|cual es el|cual es la) mas (?:barato|barata|economico|economica|accesible)\b"
)
PRICIEST = re.compile(r"\b(?:el|la|lo|cual es|cual es el|cual es la) mas (?:caro|cara)\b")
# Superlatives over the last list that sort it by another field: (field, largest first).
SUPERLATIVES = (
    (
        re.compile(r"\b(?:el|la|lo|cual es|cual es el|cual es la) mas (?:nuevo|nueva|reciente|moderno|moderna)\b"),
        ("year", True),
    ),
    (re.compile(r"\b(?:el|la|lo|cual es el|cual es la) mas (?:viejo|vieja|antiguo|antigua)\b"), ("year", False)),
    (
        re.compile(
            r"\b(?:el|la|cual|el que|la que)\s+(?:(?:de|con|tiene|tenga|trae)\s+)?menos\s+"
            r"(?:km|kms|kilometros|kilometraje|recorrido|uso)\b"
        ),
        ("km", False),
    ),
    (re.compile(r"\b(?:el|la) mas (?:usado|usada)\b|\b(?:el|la) (?:de|con) mas (?:km|kilometros)\b"), ("km", True)),
)
# "¿cuál me recomiendas?" of a list: the newest, the one a salesperson would point at first.
RECOMMENDED = re.compile(
    r"\b(?:cual|que|cuales) (?:me|nos) (?:recomiendas|recomienda|recomiendan|sugieres|sugiere|aconsejas)\b"
    r"|\bcual (?:es (?:el|la) mejor|conviene mas|me conviene|te gusta mas|escogerias|elegirias)\b"
)
# "¿algo más barato?", "¿hay otra más nueva?": past the cars of the last list, by price or by year.
PAST_THE_LIST = (
    ("price", re.compile(r"\bmas (?:barat[oa]s?|economic[oa]s?|accesibles?)\b|\bmenos car[oa]s?\b")),
    ("year", re.compile(r"\b(?:otr[oa]s?|algo|alguno|alguna|uno|una) mas (?:nuev[oa]s?|recientes?|modern[oa]s?)\b")),
)
OTHER = re.compile(r"\b(?:el|la|del|de la|al|a la) otr[oa]\b(?! (?:marca|opcion de pago|cosa|pregunta))")
ORDINAL = re.compile(r"\b(?:el|la|opcion|auto|carro)\s+(" + "|".join(ORDINALS) + r")\b")
NUMBERED = re.compile(r"\b(?:opcion|numero|num|no\.?|#)\s*(\d{1,2})\b")


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
