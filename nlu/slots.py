"""Slot extraction: what a sales message states, in the canonical form of contract §3.

The text goes through `words_to_digits`, the vocabulary finds make and model (their
spans are blanked so "cx-5", "serie 3" or "peugeot 208" are not read as numbers), and
every amount is given one role by its unit ("50 mil km", "30%", "4 años") and by the
words around it ("menos de", "para arriba", "de enganche", "modelo").
"""

import itertools
import re
from datetime import date

from nlu import language
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

_cues = language.load("slots")
_FILLER = _cues.alternatives("filler")[0]  # "menos de unos 300 mil"


def _before(name: str) -> re.Pattern[str]:
    """The named cues, ending right before an amount (filler words and a "$" may come between)."""
    return re.compile(rf"(?:^|\b)(?:{'|'.join(_cues.alternatives(name))}){_FILLER}\s*\$?$")


_MONEY_NOUN = _cues.alternatives("money_noun")[0]


def _after(name: str) -> re.Pattern[str]:
    """The named cues, starting right after an amount ("300 mil pesos para abajo")."""
    return re.compile(rf"^\s*(?:(?:de\s+)?{_MONEY_NOUN}\s+)?(?:{'|'.join(_cues.alternatives(name))})(?:\b|$)")


_MAX_BEFORE = _before("max_before")
_MIN_BEFORE = _before("min_before")
# "no menos de 200 mil", "que no sea menor a 2018": a negated maximum is a minimum.
_MIN_NEGATED_BEFORE = _before("min_negated_before")
_MAX_AFTER = _after("max_after")
_MIN_AFTER = _after("min_after")
_YEAR_AFTER_MIN_NEWER = _after("year_after_min_newer")
_YEAR_MIN_NEGATED_BEFORE = _before("year_min_negated_before")  # "no más viejo que 2017"
_YEAR_MAX_NEGATED_BEFORE = _before("year_max_negated_before")
_KM_BEFORE = _before("km_before")
_KM_AFTER = _after("km_after")
_STRICTLY_AFTER_BEFORE = _before("strictly_after_before")
_STRICTLY_BEFORE_BEFORE = _before("strictly_before_before")

_DOWN_PAYMENT_BEFORE = _before("down_payment_before")
_DOWN_PAYMENT_AFTER = _after("down_payment_after")
_WITH_BEFORE = _cues.pattern("with_before")
_FINANCING_CONTEXT = _cues.pattern("financing_context")
_NO_DOWN_PAYMENT = _cues.pattern("no_down_payment")
_DOWN_PAYMENT_SHARE = _cues.pattern("down_payment_share")
_PRICE_SHARES: dict[str, float] = _cues.table("price_shares")
_SHARE_WORDS = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _PRICE_SHARES), key=len, reverse=True)) + r")\b")
_MONTHLY_BEFORE = _before("monthly_before")
_MONTHLY_AFTER = _after("monthly_after")
_RATE_BEFORE = _before("rate_before")
_TERM_BEFORE = _before("term_before")
_TERM_CUE = _cues.pattern("term_cue")
_PLAN_CONTEXT = _cues.pattern("plan_context")
_BARE_TERM_BEFORE = _cues.pattern("bare_term_before")
_NOT_A_TERM_AFTER = _cues.pattern("not_a_term_after")
MAX_TERM_IN_YEARS = 10  # "a 4", "en 5": a bare term up to 10 counts years, above it months ("a 48")
# "¿sigue en 180?", "¿lo tienen en 250 mil todavía?": a price the customer heard, asked again, is no budget.
_PRICE_RESTATED_BEFORE = _before("price_restated_before")
_PRICE_POINTED_BEFORE = _cues.pattern("price_pointed_before")
_STILL_AFTER = _cues.pattern("still_after")
_AGE_BEFORE = _cues.pattern("age_before")
_AGE_AFTER = _cues.pattern("age_after")
_RANGE_START = _cues.pattern("range_start")
_RANGE_JOIN = _cues.pattern("range_join")
_ALTERNATIVE_JOIN = _cues.pattern("alternative_join")
_RANGE_BARE_JOIN = _cues.pattern("range_bare_join")  # "200 a 300 mil", "2018-2020" need no "entre"
# "modelo 19", "del 18 en adelante", "modelo 18 o 19": a two-digit year after a word that says it is one.
_SHORT_YEAR = _cues.pattern("short_year")
_MONTH_NAME = _cues.pattern("month_name")
_VEHICLE_SLOTS = ("make", "model", "body_type")
# A bare "de 150", "¿y en 200?" asks about a price in thousands; these say the number counts something else.
_BARE_PRICE_BEFORE = _before("bare_price_before")
_NOT_A_PRICE_AFTER = _cues.pattern("not_a_price_after")
# "quiero pagar menos de 3000": a few thousand to pay is a monthly payment, not a price in thousands.
_PAY_BEFORE = _before("pay_before")
_MONTHLY_RANGE = (1_000, 20_000)
_NO_CAR_COSTS = 100_000_000  # a bare number this big is a phone or an account, not pesos
_COMMON_TERMS = frozenset({12, 18, 24, 36, 48, 60, 72, 84, 96})
_THOUSANDS_UP_TO = 5_000  # a price written without unit up to this many is in thousands: "hasta 1500" is 1.5 millones

_TERM_MONTHS = frozenset(range(6, 121, 6))
_WINDOW = 60  # characters around an amount that its cues may come from
_MAX_AMOUNTS = 40  # more numbers than this is no request, and reading them all would only cost time
_FEATURES = (("car_play", _cues.pattern("car_play")), ("bluetooth", _cues.pattern("bluetooth")))
_TRANSMISSIONS = (("automatic", _cues.pattern("automatic")), ("manual", _cues.pattern("manual")))
_BODY_WORDS = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(BODY_TYPE_WORDS, key=len, reverse=True))) + r")\b")
_VAN_CUES = _cues.words("van_cues")  # "van" is mostly the verb: "¿cuándo van a abrir?"


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
    if not mentions.model and len(mentions.makes) > 1:  # "mazda o kia": a search of both
        slots["other_makes"] = mentions.makes[1:]
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
    if "down_payment" not in slots and "down_payment_pct" not in slots:
        _read_down_payment_words(text, slots)
    _read_monthly_budget(text, slots)
    return slots, mentions


def _read_down_payment_words(text: str, slots: dict[str, object]) -> None:
    """A down payment said without an amount: "sin enganche" is none, "la mitad de enganche" a share of the price."""
    if _NO_DOWN_PAYMENT.search(text):
        slots["down_payment"] = 0
        return
    share = _DOWN_PAYMENT_SHARE.search(text)
    if share:
        words = _SHARE_WORDS.search(" ".join(share.group(0).split()))
        if words:
            slots["down_payment_pct"] = _PRICE_SHARES[words.group(0)]


_MONTHLY_AMOUNT = _cues.pattern("monthly_amount")  # "6 mil al mes", "mensualidades de 5000"


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
    before = text[max(0, amount.start - _WINDOW) : amount.start]
    after = text[amount.unit_end : amount.unit_end + _WINDOW]
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
            _add_term(slots, amount.whole)
    elif amount.kind == YEAR:
        _read_model_year(before, after, amount.whole, slots)
    else:
        _read_money_or_number(before, after, amount, slots, about_a_plan=bool(_PLAN_CONTEXT.search(text)))


def _read_years(before: str, after: str, amount: Amount, slots: dict[str, object]) -> None:
    if _AGE_BEFORE.search(before) or _AGE_AFTER.match(after):
        # "con menos de 5 años" of use; "de 2 o 3 años" allows the older of the two
        oldest = date.today().year - amount.whole
        slots["year_min"] = min(int(slots.get("year_min", oldest)), oldest)
    elif 1 <= amount.value <= 30:
        _add_term(slots, round_half_up(amount.value * 12))


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


def _read_money_or_number(
    before: str, after: str, amount: Amount, slots: dict[str, object], *, about_a_plan: bool = False
) -> None:
    # Before the down payment: in "con 30% de enganche a 72" the 72 follows "enganche" but is the term.
    if (
        amount.kind == NUMBER
        and not _RATE_BEFORE.search(before)
        and _read_term(before, after, amount, slots, about_a_plan)
    ):
        return
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
    if amount.kind == NUMBER and _NOT_A_PRICE_AFTER.match(after):
        return
    if _restates_a_price(before, after):
        return  # "¿sigue en 180?": the price of a car already shown, not what the customer can spend
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


def _add_term(slots: dict[str, object], months: int) -> None:
    """The first term stated is `term_months`; more ("a 36 y a 48 meses", "a 3 o 4 años") are compared with it."""
    first = slots.setdefault("term_months", months)
    others = slots.get("other_term_months", [])
    if months != first and months not in others:
        slots["other_term_months"] = [*others, months]


def term_months_of(number: int) -> int:
    """A term stated as a bare number, in months: up to MAX_TERM_IN_YEARS it counts years."""
    return number * 12 if number <= MAX_TERM_IN_YEARS else number


def _read_term(before: str, after: str, amount: Amount, slots: dict[str, object], about_a_plan: bool) -> bool:
    """ "plazo de 60", "a 48": a term in months; "plazo de 5" is in years, and so is "a 4" in a message about a
    plan ("con 20% de enganche a 4")."""
    if amount.stated_as_money or not amount.value.is_integer():
        return False
    if _NOT_A_TERM_AFTER.match(after) or _NOT_A_PRICE_AFTER.match(after):
        return False  # "en 1 solo pago", "de 5 a 7 pasajeros"
    in_years = _TERM_CUE.search(before) or (about_a_plan and _BARE_TERM_BEFORE.search(before))
    months = term_months_of(amount.whole) if in_years and amount.whole >= 1 else amount.whole
    if months in _TERM_MONTHS and (_TERM_CUE.search(before) or _TERM_BEFORE.search(before)):
        _add_term(slots, months)
        return True
    return False


def _restates_a_price(before: str, after: str) -> bool:
    """ "¿sigue en 180?", "¿todavía lo tienen en 250 mil?", "¿lo dan en 300 todavía?": a price asked again."""
    if _MAX_BEFORE.search(before) or _MIN_BEFORE.search(before):
        return False  # "todavía tengo 300 mil", "siguen habiendo de más de 200": a budget after all
    return bool(
        _PRICE_RESTATED_BEFORE.search(before) or (_PRICE_POINTED_BEFORE.search(before) and _STILL_AFTER.match(after))
    )
