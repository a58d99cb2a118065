"""Slot extraction: what a sales message states, in the canonical form of contract §3.

The text goes through `words_to_digits`, the vocabulary finds make and model (their
spans are blanked so "cx-5", "serie 3" or "peugeot 208" are not read as numbers), and
every amount is given one role by its unit ("50 mil km", "30%", "4 años") and by the
words around it ("menos de", "para arriba", "de enganche", "modelo").
"""

import itertools
import re
from datetime import date

from nlu.body_types import BODY_TYPE_WORDS, GENERIC_BODY_WORDS
from nlu.numbers import (
    KM,
    MONEY,
    MONTHS,
    NUMBER,
    PERCENT,
    YEAR,
    YEARS,
    Amount,
    find_amounts,
    parse_numeral,
    round_half_up,
    words_to_digits,
)
from nlu.vocabulary import Mentions, Vocabulary

_FILLER = r"(?:\s+(?:unos?|unas?|como|los|las|el|la|del|de|a|al|en|eso|ese|esos))*"


def _before(*cues: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|\b)(?:{'|'.join(cues)}){_FILLER}\s*\$?$")


_MONEY_NOUN = r"(?:pesos|varos?|baros?|lana|feria|billete|cash)"


def _after(*cues: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:(?:de\s+)?{_MONEY_NOUN}\s+)?(?:{'|'.join(cues)})(?:\b|$)")


# "no", "nada" and the words people put between it and a comparison: "que no sea más viejo que 2022".
_NOT = (
    r"(?:no|nada|ninguno|ninguna)(?:\s+(?:sea|sean|este|esten|es|son|tenga|tengan|quiero|queremos|busco|ocupo|"
    r"acepto|me\s+interesan?|nada|algo|uno|una|un|carro|auto|coche|de|del|modelo))*\s+"
)
_UNLESS_A_NUMBER_FOLLOWS = r"(?!\s*(?:de\s+|a\s+)?\$?\d)"  # "mínimo 150 máximo 250": "máximo" is the 250's cue


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
    r"presu(?:puesto)?(?:\s+(?:maximo|es|seria|tengo|son))?",
    r"(?:mi\s+)?limite(?:\s+(?:es|son|seria|de))?",
    r"lo\s+(?:mas|maximo)\s+que\s+(?:puedo|podria|quiero|pienso|tengo)(?:\s+(?:gastar|pagar|invertir|dar))?"
    r"(?:\s+(?:son|es|seria|serian))?",
    r"no\s+(?:(?:quiero|queremos|puedo|podemos|pienso|planeo|quisiera|deseo|me\s+gustaria)\s+)?"
    r"(?:gastar(?:me)?|pagar|invertir|desembolsar|soltar)\s+mas",
    r"(?:gastar(?:me)?|gasto|invertir)",
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
    r"no\s+more\s+than",
    r"at\s+most",
)
_MIN_BEFORE = _before(
    r"(?<!nada\s)(?<!no\s)mas",  # "nada más el 2018" is "only the 2018"; "no más de" is a maximum
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
    r"starting\s+(?:at|from)",
    r"from",
)
# "no menos de 200 mil", "que no sea menor a 2018": a negated maximum is a minimum.
_MIN_NEGATED_BEFORE = _before(
    rf"{_NOT}(?:menos|menor(?:es)?|inferior(?:es)?|debajo|abajo|less\s+than|under|below)(?:\s+(?:que|than))?"
)
_MAX_AFTER = _after(
    r"para\s+abajo",
    r"pa\s+abajo",
    r"para\s+bajo",
    r"hacia\s+abajo",
    r"o\s+menos",
    rf"(?:como\s+)?(?:maximo|max|tope){_UNLESS_A_NUMBER_FOLLOWS}",
    r"a\s+lo\s+mucho",
    r"or\s+(?:less|lower|below|under)",
    r"and\s+(?:less|lower|below|under)",
    r"y\s+menos(?!\s+de)",
    r"para\s+atras",
    r"pa\s+atras",
    r"hacia\s+atras",
    r"o\s+mas\s+(?:viejos?|viejas?|antiguos?|antiguas?)",
    r"o\s+anteriores?",
    r"y\s+anteriores",
    r"o\s+antes",
    r"(?:or|and)\s+(?:older|earlier|before)",
)
_MIN_AFTER = _after(
    r"para\s+arriba",
    r"pa\s+arriba",
    r"hacia\s+arriba",
    r"o\s+mas(?!\s+o\s+menos|\s+(?:viej|antigu|barat))",
    r"en\s+adelante",
    r"(?:hacia|para|pa)\s+(?:adelante|delante)",
    rf"(?:como\s+)?minimo{_UNLESS_A_NUMBER_FOLLOWS}",
    r"or\s+(?:more|higher|above|over)",
    r"and\s+(?:up|above|over|higher)",
    r"onwards?",
    r"y\s+mas(?!\s+o\s+menos|\s+de)",
    r"o\s+posteriores?",
    r"o\s+superior",
    r"y\s+posteriores",
    r"o\s+despues",
    r"(?:a|hasta)\s+la\s+fecha",
    r"a\s+(?:hoy|la\s+actualidad)",
)
_YEAR_AFTER_MIN_NEWER = _after(
    r"o\s+mas\s+(?:nuevos?|nuevas?|recientes?)",
    r"(?:para|pa|hacia)\s+(?:aca|aqui)",
    r"(?:or|and)\s+(?:newer|later|after|up)",
)
_OLDER = (
    r"(?:mas\s+(?:viej|antigu)\w*|anterior(?:es)?|menor(?:es)?|menos|antes|inferior(?:es)?|previos?"
    r"|older|earlier|before)"
)
_NEWER = r"(?:mas\s+(?:nuev|recient)\w*|posterior(?:es)?|mayor(?:es)?|despues|superior(?:es)?|newer|later|after)"
_YEAR_MIN_NEGATED_BEFORE = _before(rf"{_NOT}{_OLDER}(?:\s+(?:que|than|to))?")  # "no más viejo que 2017"
_YEAR_MAX_NEGATED_BEFORE = _before(rf"{_NOT}{_NEWER}(?:\s+(?:que|than|to))?")
_KM_BEFORE = _before(
    r"(?:kilometraje|recorrido|millaje|mileage)(?:\s+(?:menor(?:es)?|maximo|hasta|no\s+mayor|abajo|debajo|menos|"
    r"que\s+no\s+pase|no\s+pase|no\s+exceda|no\s+mas|de|es|under|below|less\s+than|of|is|max))*"
)
_KM_AFTER = _after(r"(?:de\s+)?(?:recorridos?|kilometraje)", r"(?:on\s+the\s+clock|mileage)")
_STRICTLY_AFTER_BEFORE = _before(
    r"despues", r"mas\s+(?:nuev|recient)\w*\s+que", r"posterior(?:es)?", r"(?:newer|later)\s+than", r"after"
)
_STRICTLY_BEFORE_BEFORE = _before(
    r"antes",
    r"mas\s+(?:viej|antigu)\w*\s+que",
    r"anterior(?:es)?",
    r"(?:older|earlier)\s+than",
    r"before",
    r"prior\s+to",
)

_DOWN_PAYMENT = r"(?:enganche|entrada|anticipo|pago\s+inicial|inicial|engancho|down(?:\s+payment)?)"
_DOWN_PAYMENT_BEFORE = _before(
    rf"{_DOWN_PAYMENT}(?:\s+(?:de|del|seria|es|con|sea|of|is))*",
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
)
_DOWN_PAYMENT_AFTER = _after(
    rf"(?:(?:para|pa)\s+)?(?:(?:dar|poner|dejar)\s+)?(?:(?:de|del|como|as)\s+)?(?:(?:el|mi|un|a)\s+)?{_DOWN_PAYMENT}",
)
_WITH_BEFORE = re.compile(r"\bcon(?:\s+(?:unos?|como))?\s*\$?$")
_FINANCING_CONTEXT = re.compile(
    r"\b(?:mensualidad(?:es)?|al\s+mes|mensual(?:es)?|financ\w*|credito|plazo|meses|anos?|pagaria|quedaria|saldria)\b"
)
_NO_DOWN_PAYMENT = re.compile(rf"\bsin\s+(?:dar\s+)?(?:nada\s+de\s+)?{_DOWN_PAYMENT}\b")
_MONTHLY_BEFORE = _before(
    r"mensualidad(?:es)?",
    r"pagos?\s+mensual(?:es)?",
    r"pagar",
    r"pago",
    r"abonos?",
    r"monthly(?:\s+payments?)?",
    r"mensualmente",
)
_MONTHLY_AFTER = _after(
    r"al\s+mes",
    r"mensuales",
    r"mensual",
    r"mensualmente",
    r"por\s+mes",
    r"cada\s+mes",
    r"de\s+mensualidad",
    r"(?:a|per)\s+month",
    r"monthly",
)
_RATE_BEFORE = _before(r"tasa", r"interes", r"intereses", r"cat", r"rate", r"comision")
_TERM_BEFORE = _before(r"plazo", r"a\s+un\s+plazo", r"a", r"en")
_TERM_CUE = re.compile(r"\bplazo(?:\s+de)?\s*$")
_AGE_BEFORE = re.compile(
    r"(?:\b(?:de|con|tenga|tengan)\s+(?:menos\s+de|maximo|no\s+mas\s+de|hasta)|"
    r"\b(?:carro|auto|coche|camioneta|algo|uno|una)\s+(?:de|con))\s*$"
)
_AGE_AFTER = re.compile(
    r"^\s*(?:de\s+)?(?:antiguedad|uso|viejo|vieja|de\s+edad|de\s+vida|old|(?:para|pa|hacia)\s+(?:aca|aqui)|"
    r"a\s+la\s+fecha)\b"
)
_RANGE_START = re.compile(r"\b(?:entre|de|desde|del|from|between)\s*(?:el|los|unos)?\s*\$?$")
_RANGE_JOIN = re.compile(r"\s*(?:y|a|al|hasta|-|and|to)\s*(?:el|los|unos)?\s*\$?")
_ALTERNATIVE_JOIN = re.compile(r"\s*(?:o|u|or)\s*(?:unos|hasta|de)?\s*\$?")
_RANGE_BARE_JOIN = re.compile(r"\s*(?:-|a|al|to)\s*\$?")  # "200 a 300 mil", "2018-2020" need no "entre"
# "modelo 19", "del 18 en adelante", "modelo 18 o 19": a two-digit year after a word that says it is one.
_SHORT_YEAR = re.compile(
    r"\b(?P<cue>modelos?|mod|del|ano)\s+(?P<first>\d{2})"
    r"(?:\s*(?:o|y|al|a|-|hasta)\s*(?:el\s+|del\s+)?(?P<second>\d{2}))?"
    r"(?![\d.,:%]|\s*(?:k|m|mil|mdp|km|kilometros?|millas|pesos?|varos?|mxn|lucas?|anos?|mes|meses|mensualidades|"
    r"pagos|dias|horas|hrs|am|pm)\b)"
)
_MONTH_NAME = re.compile(
    r"\b(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)\b"
)
_VEHICLE_SLOTS = ("make", "model", "body_type")
# A bare "de 150", "¿y en 200?" asks about a price in thousands; these say the number counts something else.
_BARE_PRICE_BEFORE = _before(
    r"de", r"por", r"en", r"como", r"unos", r"unas", r"alrededor", r"cerca", r"aproximadamente", r"around", r"about"
)
_NOT_A_PRICE_AFTER = re.compile(
    r"^\s*(?:caballos|hp|cc|cm3|cm|litros?|lts?|kg|kilos|toneladas|personas|pasajeros|plazas|puertas|asientos|"
    r"cilindros|dias|semanas|horas|hrs|minutos|metros|mts|calle|carros|autos|coches|unidades|vehiculos|opciones)\b"
)
# "quiero pagar menos de 3000": a few thousand to pay is a monthly payment, not a price in thousands.
_PAY_BEFORE = _before(
    r"(?:pagar|pago|pagaria|abonar|abono)(?:\s+(?:menos|maximo|max|hasta|como|unos|alrededor|no\s+mas|mas))*"
)
_MONTHLY_RANGE = (1_000, 20_000)
_NO_CAR_COSTS = 100_000_000  # a bare number this big is a phone or an account, not pesos
_COMMON_TERMS = frozenset({12, 18, 24, 36, 48, 60, 72, 84, 96})
_THOUSANDS_UP_TO = 5_000  # a price written without unit up to this many is in thousands: "hasta 1500" is 1.5 millones

_TERM_MONTHS = frozenset(range(6, 121, 6))
_WINDOW = 60  # characters around an amount that its cues may come from
_MAX_AMOUNTS = 40  # more numbers than this is no request, and reading them all would only cost time
_FEATURES = (
    ("car_play", re.compile(r"\b(?:apple\s?)?car\s?play\b|\bandroid\s?auto\b|\bcar\s?plei\b")),
    ("bluetooth", re.compile(r"\bblue?\s?t[ou]+t?h?\b|\bblu+tu+\b")),
)
_TRANSMISSIONS = (
    ("automatic", re.compile(r"\b(?:automatic[oa]s?|automatik[oa]s?|(?:de )?transmision automatica|cvt)\b")),
    ("manual", re.compile(r"\b(?:estandar(?:es)?|standard|manual(?:es)?|de velocidades|de palanca|std)\b")),
)
_BODY_WORDS = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(BODY_TYPE_WORDS, key=len, reverse=True))) + r")\b")
_VAN_CUES = frozenset({"una", "la", "las", "unas", "alguna", "algunas", "tipo", "otra", "esa", "esta", "mi", "su"})


def extract_slots(text_norm: str, vocabulary: Vocabulary) -> dict[str, object]:
    """The slots a normalised sales message states: make, model, body type, transmission, prices, years, km, term,
    down payment."""
    return read_slots(text_norm, vocabulary)[0]


def read_slots(text_norm: str, vocabulary: Vocabulary) -> tuple[dict[str, object], Mentions]:
    """The slots, and the catalog mentions they were read from (so callers need not search the text again)."""
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
    transmissions = [name for name, pattern in _TRANSMISSIONS if pattern.search(text)]
    if len(transmissions) == 1:  # "automático o estándar" is no preference
        slots["transmission"] = transmissions[0]
    masked = _blank(text, [(span.start, span.end) for span in mentions.spans if span.kind.endswith("model")])
    _read_amounts(masked, slots)
    if "down_payment" not in slots and "down_payment_pct" not in slots and _NO_DOWN_PAYMENT.search(text):
        slots["down_payment"] = 0
    _read_monthly_budget(text, slots)
    return slots, mentions


_MONTHLY_AMOUNT = re.compile(
    r"(?:mensualidad(?:es)?|pagos?|abonos?)\s+(?:de\s+)?(?:hasta\s+|maximo\s+|menos\s+de\s+|unos?\s+)?"
    r"\$?(?P<before>\d+(?:[.,]\d+)?)\s*(?P<before_unit>mil|k)?\b"
    r"|\$?(?P<after>\d+(?:[.,]\d+)?)\s*(?P<after_unit>mil|k)?\s*(?:pesos\s+)?(?:al\s+mes|mensuales|mensual|por\s+mes|cada\s+mes)\b"
)


def _read_monthly_budget(text: str, slots: dict[str, object]) -> None:
    """ "¿qué me alcanza con 6 mil al mes?": a monthly payment the customer can afford, not a price."""
    match = _MONTHLY_AMOUNT.search(text)
    if match is None:
        return
    number, unit = (
        match.group("before") or match.group("after"),
        match.group("before_unit") or match.group("after_unit"),
    )
    amount = parse_numeral(number) * (1000 if unit else 1)
    if not 500 <= amount <= 200_000:
        return
    slots["max_monthly_payment"] = round_half_up(amount)
    figure = slots["max_monthly_payment"]
    for misread in ("down_payment", "max_price"):  # the same figure read without its "al mes"
        if slots.get(misread) in (figure, figure * 1000):
            del slots[misread]


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
    short_years = _read_short_years(text, slots)
    amounts = [
        amount
        for amount in find_amounts(text)[:_MAX_AMOUNTS]
        if not any(start <= amount.start < end for start, end in short_years)
    ]
    used: set[int] = set()
    for index, (first, second) in enumerate(itertools.pairwise(amounts)):
        if index in used:
            continue
        if _is_range(text, first, second) and _read_range(first, second, slots):
            used.update({index, index + 1})
        elif _is_price_alternative(text, first, second):
            used.add(index if _scaled_like(first.value, _pesos(second)) <= _pesos(second) else index + 1)
    for index, amount in enumerate(amounts):
        if index not in used:
            _read_amount(text, amount, slots)


def _is_range(text: str, first: Amount, second: Amount) -> bool:
    if first.kind == second.kind == NUMBER and _MONTH_NAME.search(text):
        return False  # "del 15 al 20 de marzo"
    between = text[first.end : second.start]
    if _RANGE_BARE_JOIN.fullmatch(between):
        return True
    before = text[max(0, first.start - _WINDOW) : first.start]
    return bool(_RANGE_JOIN.fullmatch(between) and _RANGE_START.search(before))


def _is_price_alternative(text: str, first: Amount, second: Amount) -> bool:
    """ "unos 300 o 350 mil": two prices the customer hesitates between; the higher one is the budget."""
    if first.kind not in (MONEY, NUMBER) or second.kind not in (MONEY, NUMBER) or second.value < 50:
        return False
    return bool(_ALTERNATIVE_JOIN.fullmatch(text[first.end : second.start]))


def _read_range(first: Amount, second: Amount, slots: dict[str, object]) -> bool:
    if first.kind == YEAR and second.kind == YEAR:
        low, high = sorted((first.whole, second.whole))
        slots["year_min"], slots["year_max"] = low, high
        return True
    if first.kind in (MONEY, NUMBER) and second.kind in (MONEY, NUMBER):
        if second.kind == NUMBER and second.value < 50:
            return False  # "del 15 al 20" is no price: no car costs 20 mil
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
        if _MIN_NEGATED_BEFORE.search(before):
            return  # "no menos de 50 mil km" is a minimum, which no slot holds
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


def _read_short_years(text: str, slots: dict[str, object]) -> list[tuple[int, int]]:
    """ "modelo 19" is a 2019, "del 18 en adelante" a year_min 2018; the spans read, for the amounts to skip."""
    if _MONTH_NAME.search(text):
        return []  # "del 15 al 20 de marzo" is a date
    spans: list[tuple[int, int]] = []
    for match in _SHORT_YEAR.finditer(text):
        first, second = _short_year(match.group("first")), _short_year(match.group("second") or "")
        if first is None or (match.group("second") and second is None):
            continue
        before, after = text[max(0, match.start() - _WINDOW) : match.start()], text[match.end() : match.end() + _WINDOW]
        if match.group("cue") == "del" and not _is_about_a_car_year(after, slots):
            continue  # "del 15" alone may be a day
        if second is not None:
            slots["year_min"], slots["year_max"] = min(first, second), max(first, second)
        else:
            _read_model_year(before + match.group("cue") + " ", after, first, slots)
        spans.append((match.start("first"), match.end()))
    return spans


def _short_year(digits: str) -> int | None:
    if not digits:
        return None
    short = int(digits)
    if short <= (date.today().year + 1) % 100:
        return 2000 + short
    return 1900 + short if short >= 90 else None  # "del 50" is no model year on a used-car lot


def _is_about_a_car_year(after: str, slots: dict[str, object]) -> bool:
    year_cue_after = _MIN_AFTER.match(after) or _MAX_AFTER.match(after) or _YEAR_AFTER_MIN_NEWER.match(after)
    return bool(year_cue_after) or any(slot in slots for slot in _VEHICLE_SLOTS)


def _read_money_or_number(before: str, after: str, amount: Amount, slots: dict[str, object]) -> None:
    if _is_down_payment(before, after):
        slots.setdefault("down_payment", _pesos(amount) if amount.value else 0)
        return
    if (_KM_BEFORE.search(before) or _KM_AFTER.match(after)) and amount.value >= 1:
        slots.setdefault("max_km", amount.whole if amount.value >= 1_000 else _pesos(amount))  # "kilometraje de 50"
        return
    if _MONTHLY_BEFORE.search(before) or _MONTHLY_AFTER.match(after) or _RATE_BEFORE.search(before):
        return  # a monthly budget or a rate is not a price
    if _MONTHLY_RANGE[0] <= amount.value < _MONTHLY_RANGE[1] and _PAY_BEFORE.search(before):
        return
    if amount.kind == NUMBER and (_read_term(before, amount, slots) or _NOT_A_PRICE_AFTER.match(after)):
        return
    if _MIN_NEGATED_BEFORE.search(before):
        is_max, is_min = False, True
    else:
        is_max = bool(_MAX_BEFORE.search(before) or _MAX_AFTER.match(after))
        is_min = bool(_MIN_BEFORE.search(before) or _MIN_AFTER.match(after))
    if amount.kind == NUMBER and (amount.value < 20 or not (is_max or is_min or _is_bare_price(before, amount))):
        return  # a bare "5" or "208" is no price
    if amount.value < 1 or (not amount.stated_as_money and amount.value >= _NO_CAR_COSTS):
        return  # "mi número es 5512345678" is a phone, not a budget
    if is_min and not is_max:
        slots.setdefault("min_price", _price_pesos(amount))
    else:
        slots.setdefault("max_price", _price_pesos(amount))  # a bare "300 mil" in a search is a budget


def _is_bare_price(before: str, amount: Amount) -> bool:
    """ "¿y de 150?": a price in thousands, unless the number is a usual term in months."""
    value = amount.value
    return (
        50 <= value <= _THOUSANDS_UP_TO
        and value.is_integer()
        and amount.whole not in _COMMON_TERMS
        and bool(_BARE_PRICE_BEFORE.search(before))
    )


def _price_pesos(amount: Amount) -> int:
    """A price without unit up to 5000 counts thousands ("hasta 1500" is 1.5 millones); the rest as `_pesos`."""
    if amount.kind == NUMBER and not amount.stated_as_money and 1 <= amount.value <= _THOUSANDS_UP_TO:
        return round_half_up(amount.value * 1_000)
    return _pesos(amount)


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
