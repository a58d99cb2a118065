"""Slot extraction: what a sales message states, in the canonical form of contract §3.

The text goes through `words_to_digits`, the vocabulary finds make and model (their
spans are blanked so "cx-5", "serie 3" or "peugeot 208" are not read as numbers), and
every amount is given one role by its unit ("50 mil km", "30%", "4 años") and by the
words around it ("menos de", "para arriba", "de enganche", "modelo").
"""

import itertools
import re
from datetime import date

from catalog.body_types import BODY_TYPE_WORDS, GENERIC_BODY_WORDS
from catalog.vocabulary import Vocabulary
from conversations.engine.numbers import (
    KM,
    MONEY,
    MONTHS,
    NUMBER,
    PERCENT,
    YEAR,
    YEARS,
    Amount,
    find_amounts,
    round_half_up,
    words_to_digits,
)

_FILLER = r"(?:\s+(?:unos?|unas?|como|los|las|el|la|del|de|a|al|en|eso|ese|esos))*"


def _before(*cues: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|\b)(?:{'|'.join(cues)}){_FILLER}\s*\$?$")


def _after(*cues: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:pesos\s+|de\s+pesos\s+)?(?:{'|'.join(cues)})(?:\b|$)")


_MAX_BEFORE = _before(
    r"menos",
    r"debajo",
    r"abajo",
    r"bajo",
    r"maximo",
    r"max",
    r"hasta",
    r"tope",
    r"no\s+(?:pase|pasen|exceda|excedan|supere|superen|rebase|rebasen|sea\s+mayor|sean\s+mayores|mas)",
    r"no\s+mas",
    r"no\s+(?:tenga|tengan|tiene|traiga|sea|sean|cueste|cuesten)\s+mas",
    r"a\s+lo\s+mucho",
    r"presupuesto(?:\s+(?:maximo|es|seria|tengo))?",
    r"tengo",
    r"tengo\s+ahorrados",
    r"cuento\s+con",
    r"traigo",
    r"dispongo",
    r"alcanza\s+(?:para|con)",
    r"menor(?:es)?(?:\s+que)?",
    r"inferior(?:es)?",
    r"mas\s+barato\s+que",
    r"less\s+than",
    r"under",
    r"below",
    r"up\s+to",
    r"budget(?:\s+(?:of|is))?",
    r"maximum",
)
_MIN_BEFORE = _before(
    r"mas",
    r"arriba",
    r"encima",
    r"minimo",
    r"desde",
    r"a\s+partir",
    r"mayor(?:es)?(?:\s+que)?",
    r"superior(?:es)?",
    r"more\s+than",
    r"over",
    r"at\s+least",
    r"above",
)
_MAX_AFTER = _after(
    r"para\s+abajo",
    r"pa\s+abajo",
    r"para\s+bajo",
    r"hacia\s+abajo",
    r"o\s+menos",
    r"maximo",
    r"como\s+maximo",
    r"max",
    r"tope",
    r"a\s+lo\s+mucho",
    r"or\s+less",
    r"y\s+menos",
    r"para\s+atras",
    r"pa\s+atras",
    r"hacia\s+atras",
    r"o\s+mas\s+(?:viejos?|viejas?|antiguos?|antiguas?)",
    r"o\s+anteriores?",
    r"y\s+anteriores",
    r"o\s+antes",
)
_MIN_AFTER = _after(
    r"para\s+arriba",
    r"pa\s+arriba",
    r"hacia\s+arriba",
    r"o\s+mas(?!\s+o\s+menos|\s+(?:viej|antigu|barat))",
    r"en\s+adelante",
    r"hacia\s+adelante",
    r"minimo",
    r"como\s+minimo",
    r"or\s+more",
    r"y\s+mas(?!\s+o\s+menos)",
    r"o\s+posteriores?",
    r"o\s+superior",
    r"y\s+posteriores",
    r"o\s+despues",
    r"(?:a|hasta)\s+la\s+fecha",
    r"a\s+(?:hoy|la\s+actualidad)",
)
_YEAR_AFTER_MIN_NEWER = _after(r"o\s+mas\s+(?:nuevos?|nuevas?|recientes?)")
_YEAR_MIN_NEGATED_BEFORE = _before(r"no\s+mas\s+(?:viej|antigu)\w*\s+(?:que|de|a)", r"no\s+(?:anterior|menor)(?:es)?")
_YEAR_MAX_NEGATED_BEFORE = _before(r"no\s+mas\s+(?:nuev|recient)\w*\s+(?:que|de|a)", r"no\s+(?:posterior|mayor)(?:es)?")
_KM_BEFORE = _before(
    r"(?:kilometraje|recorrido)(?:\s+(?:menor(?:es)?|maximo|hasta|no\s+mayor|abajo|debajo|menos|"
    r"que\s+no\s+pase|no\s+pase|no\s+exceda|no\s+mas|de|es))*"
)
_STRICTLY_AFTER_BEFORE = _before(r"despues", r"mas\s+nuevos?\s+que", r"mas\s+nuevas?\s+que", r"posterior(?:es)?")
_STRICTLY_BEFORE_BEFORE = _before(r"antes", r"mas\s+viejos?\s+que", r"mas\s+viejas?\s+que", r"anterior(?:es)?")

_DOWN_PAYMENT = r"(?:enganche|entrada|anticipo|pago\s+inicial|inicial|engancho)"
_DOWN_PAYMENT_BEFORE = _before(
    rf"{_DOWN_PAYMENT}(?:\s+(?:de|del|seria|es|con|sea))*",
    r"dando",
    r"doy",
    r"daria",
    r"darle",
    r"dar",
    r"le\s+doy",
    r"le\s+daria",
    r"pongo",
    r"le\s+pongo",
    r"pondria",
    r"poniendo",
    r"dejo",
    r"dejando",
    r"dejaria",
    r"adelanto",
    r"adelantando",
    r"abonando",
    r"down\s+payment",
)
_DOWN_PAYMENT_AFTER = _after(
    rf"(?:(?:para|pa)\s+)?(?:(?:dar|poner|dejar)\s+)?(?:(?:de|del|como)\s+)?(?:(?:el|mi|un)\s+)?{_DOWN_PAYMENT}",
    r"down",
)
_WITH_BEFORE = re.compile(r"\bcon(?:\s+(?:unos?|como))?\s*\$?$")
_FINANCING_CONTEXT = re.compile(
    r"\b(?:mensualidad(?:es)?|al\s+mes|mensual(?:es)?|financ\w*|credito|plazo|meses|anos?|pagaria|quedaria|saldria)\b"
)
_NO_DOWN_PAYMENT = re.compile(rf"\bsin\s+(?:dar\s+)?(?:nada\s+de\s+)?{_DOWN_PAYMENT}\b")
_MONTHLY_BEFORE = _before(r"mensualidad(?:es)?", r"pagos?\s+mensual(?:es)?", r"pagar", r"pago", r"abonos?")
_MONTHLY_AFTER = _after(r"al\s+mes", r"mensuales", r"mensual", r"por\s+mes", r"cada\s+mes", r"de\s+mensualidad")
_RATE_BEFORE = _before(r"tasa", r"interes", r"intereses", r"cat", r"rate", r"comision")
_TERM_BEFORE = _before(r"plazo", r"a\s+un\s+plazo", r"a", r"en")
_TERM_CUE = re.compile(r"\bplazo(?:\s+de)?\s*$")
_AGE_BEFORE = re.compile(
    r"(?:\b(?:de|con|tenga|tengan)\s+(?:menos\s+de|maximo|no\s+mas\s+de|hasta)|"
    r"\b(?:carro|auto|coche|camioneta|algo|uno|una)\s+(?:de|con))\s*$"
)
_AGE_AFTER = re.compile(r"^\s*(?:de\s+)?(?:antiguedad|uso|viejo|vieja|de\s+edad|de\s+vida)\b")
_RANGE_START = re.compile(r"\b(?:entre|de|desde|del|from|between)\s*(?:el|los|unos)?\s*\$?$")
_RANGE_JOIN = re.compile(r"\s*(?:y|a|al|hasta|-|and|to)\s*(?:el|los|unos)?\s*\$?")
_RANGE_BARE_JOIN = re.compile(r"\s*(?:-|a|al|to)\s*\$?")  # "200 a 300 mil", "2018-2020" need no "entre"
_MODEL_YEAR = re.compile(r"\bmodelo\s+(\d{2})\b(?!\s*(?:mil|k|%|km))")

_TERM_MONTHS = frozenset(range(6, 121, 6))
_WINDOW = 60  # characters around an amount that its cues may come from
_MAX_AMOUNTS = 40  # more numbers than this is no request, and reading them all would only cost time
_FEATURES = (
    ("car_play", re.compile(r"\b(?:apple\s?)?car\s?play\b|\bandroid\s?auto\b|\bcar\s?plei\b")),
    ("bluetooth", re.compile(r"\bblue?\s?t[ou]+t?h?\b|\bblu+tu+\b")),
)
_BODY_WORDS = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(BODY_TYPE_WORDS, key=len, reverse=True))) + r")\b")
_VAN_CUES = frozenset({"una", "la", "las", "unas", "alguna", "algunas", "tipo", "otra", "esa", "esta", "mi", "su"})


def extract_slots(text_norm: str, vocabulary: Vocabulary) -> dict[str, object]:
    """The slots a normalised sales message states: make, model, body type, prices, years, km, term, down payment."""
    text = words_to_digits(text_norm)
    slots: dict[str, object] = {}
    mentions = vocabulary.find(text)
    if mentions.make:
        slots["make"] = mentions.make
    if mentions.model:
        slots["model"] = mentions.model
    body_type = _body_type(text)
    if body_type:
        slots["body_type"] = body_type
    features = [name for name, pattern in _FEATURES if pattern.search(text)]
    if features:
        slots["features"] = features
    masked = _blank(text, [(span.start, span.end) for span in mentions.spans if span.kind.endswith("model")])
    _read_amounts(masked, slots)
    if "down_payment" not in slots and "down_payment_pct" not in slots and _NO_DOWN_PAYMENT.search(text):
        slots["down_payment"] = 0
    return slots


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _body_type(text: str) -> str:
    generic = ""
    for match in _BODY_WORDS.finditer(text):
        word = match.group(0)
        if word == "van" and _word_before(text, match.start()) not in _VAN_CUES:
            continue  # "van" is mostly the verb: "¿cuándo van a abrir?"
        if word in GENERIC_BODY_WORDS:
            generic = generic or BODY_TYPE_WORDS[word]
            continue
        return BODY_TYPE_WORDS[word]
    return generic


def _word_before(text: str, index: int) -> str:
    words = text[:index].split()
    return words[-1] if words else ""


# --- Amounts ------------------------------------------------------------------------------


def _read_amounts(text: str, slots: dict[str, object]) -> None:
    amounts = find_amounts(text)[:_MAX_AMOUNTS]
    used: set[int] = set()
    for index, (first, second) in enumerate(itertools.pairwise(amounts)):
        if index not in used and _is_range(text, first, second) and _read_range(first, second, slots):
            used.update({index, index + 1})
    for index, amount in enumerate(amounts):
        if index not in used:
            _read_amount(text, amount, slots)
    _read_two_digit_model_year(text, slots)


def _is_range(text: str, first: Amount, second: Amount) -> bool:
    between = text[first.end : second.start]
    if _RANGE_BARE_JOIN.fullmatch(between):
        return True
    before = text[max(0, first.start - _WINDOW) : first.start]
    return bool(_RANGE_JOIN.fullmatch(between) and _RANGE_START.search(before))


def _read_range(first: Amount, second: Amount, slots: dict[str, object]) -> bool:
    if first.kind == YEAR and second.kind == YEAR:
        low, high = sorted((first.whole, second.whole))
        slots["year_min"], slots["year_max"] = low, high
        return True
    if first.kind in (MONEY, NUMBER) and second.kind in (MONEY, NUMBER):
        high = _pesos(second)
        low = _scaled_like(first.value, high)
        if not 0 < low <= high:
            return False
        slots["min_price"], slots["max_price"] = round_half_up(low), high
        return True
    if first.kind in (KM, NUMBER, MONEY) and second.kind == KM:
        slots["max_km"] = second.whole
        return True
    return False


def _scaled_like(value: float, reference: int) -> float:
    """ "entre 200 y 300 mil": the 200 takes the thousands of the 300 mil."""
    for factor in (1_000_000, 1_000):
        if value < 1_000 and value * factor <= reference * 1.5 and reference >= factor:
            return value * factor
    return value


def _pesos(amount: Amount) -> int:
    """Whole pesos; a bare "300" or "300 varos" for a car means 300 mil."""
    value = amount.value
    if 1 <= value < 1_000:
        value *= 1_000
    return round_half_up(value)


def _read_amount(text: str, amount: Amount, slots: dict[str, object]) -> None:
    before, after = text[max(0, amount.start - _WINDOW) : amount.start], text[amount.end : amount.end + _WINDOW]
    if amount.kind == PERCENT:
        if not _RATE_BEFORE.search(before) and 0 <= amount.value <= 100:
            slots.setdefault("down_payment_pct", round(amount.value / 100, 4))
    elif amount.kind == KM:
        if not _MIN_BEFORE.search(before) or _MAX_BEFORE.search(before):  # "no más de 60 mil km" is a maximum
            slots.setdefault("max_km", amount.whole)
    elif amount.kind == YEARS:
        _read_years(before, after, amount, slots)
    elif amount.kind == MONTHS:
        if 1 <= amount.value <= 360:
            slots.setdefault("term_months", amount.whole)
    elif amount.kind == YEAR:
        _read_model_year(before, after, amount.whole, slots)
    else:
        _read_money_or_number(before, after, amount, slots)


def _read_years(before: str, after: str, amount: Amount, slots: dict[str, object]) -> None:
    if _AGE_BEFORE.search(before) or _AGE_AFTER.match(after):
        slots.setdefault("year_min", date.today().year - amount.whole)  # "con menos de 5 años" of use
    elif 1 <= amount.value <= 30:
        slots.setdefault("term_months", round_half_up(amount.value * 12))


def _read_model_year(before: str, after: str, year: int, slots: dict[str, object]) -> None:
    if _YEAR_MIN_NEGATED_BEFORE.search(before):
        slots.setdefault("year_min", year)  # "no más viejo que 2017"
    elif _YEAR_MAX_NEGATED_BEFORE.search(before):
        slots.setdefault("year_max", year)
    elif _STRICTLY_AFTER_BEFORE.search(before):
        slots.setdefault("year_min", year + 1)
    elif _STRICTLY_BEFORE_BEFORE.search(before):
        slots.setdefault("year_max", year - 1)
    elif _MIN_AFTER.match(after) or _YEAR_AFTER_MIN_NEWER.match(after) or _MIN_BEFORE.search(before):
        slots.setdefault("year_min", year)
    elif _MAX_AFTER.match(after) or _MAX_BEFORE.search(before):
        slots.setdefault("year_max", year)
    elif "year_min" in slots or "year_max" in slots:
        _widen_years(year, slots)  # "2018 o 2019"
    else:
        slots["year_min"] = slots["year_max"] = year


def _widen_years(year: int, slots: dict[str, object]) -> None:
    low, high = slots.get("year_min"), slots.get("year_max")
    if isinstance(low, int) and isinstance(high, int) and low == high:
        slots["year_min"], slots["year_max"] = min(low, year), max(high, year)


def _read_two_digit_model_year(text: str, slots: dict[str, object]) -> None:
    """ "modelo 19" is a 2019."""
    if "year_min" in slots or "year_max" in slots:
        return
    match = _MODEL_YEAR.search(text)
    if match:
        short = int(match.group(1))
        year = 2000 + short if short <= (date.today().year + 1) % 100 else 1900 + short
        if year >= 1950:
            slots["year_min"] = slots["year_max"] = year


def _read_money_or_number(before: str, after: str, amount: Amount, slots: dict[str, object]) -> None:
    if _is_down_payment(before, after):
        slots.setdefault("down_payment", _pesos(amount) if amount.value else 0)
        return
    if _KM_BEFORE.search(before) and amount.value >= 1:
        slots.setdefault("max_km", amount.whole if amount.value >= 1_000 else _pesos(amount))  # "kilometraje de 50"
        return
    if _MONTHLY_BEFORE.search(before) or _MONTHLY_AFTER.match(after) or _RATE_BEFORE.search(before):
        return  # a monthly budget or a rate is not a price
    if amount.kind == NUMBER and _read_term(before, amount, slots):
        return
    is_max, is_min = (
        bool(_MAX_BEFORE.search(before) or _MAX_AFTER.match(after)),
        bool(_MIN_BEFORE.search(before) or _MIN_AFTER.match(after)),
    )
    if amount.kind == NUMBER and (amount.value < 20 or not (is_max or is_min)):
        return  # a bare "5" or "208" is no price
    if amount.value < 1:
        return
    if is_min and not is_max:
        slots.setdefault("min_price", _pesos(amount))
    else:
        slots.setdefault("max_price", _pesos(amount))  # a bare "300 mil" in a search is a budget


def _is_down_payment(before: str, after: str) -> bool:
    if _DOWN_PAYMENT_BEFORE.search(before) or _DOWN_PAYMENT_AFTER.match(after):
        return True
    # "¿cuánto me queda con 100 mil a 4 años?": money a customer comes "with" to a plan is a down payment
    return bool(_WITH_BEFORE.search(before) and _FINANCING_CONTEXT.search(before + " " + after))


def _read_term(before: str, amount: Amount, slots: dict[str, object]) -> bool:
    """ "plazo de 60", "a 48": a term in months; "plazo de 5" is in years."""
    months = amount.whole
    if _TERM_CUE.search(before) and 1 <= months <= 10:
        months *= 12
    if months in _TERM_MONTHS and (_TERM_CUE.search(before) or _TERM_BEFORE.search(before)):
        slots.setdefault("term_months", months)
        return True
    return False
