"""Spanish numbers in chat messages: number words, amounts of money, kilometres, shares and terms.

`words_to_digits` turns number words into digits on normalised text, with text2num doing
the counting ("trescientos cincuenta mil" → "350000") and this module what it doesn't
cover: digits with a multiplier ("300 mil", "1.2 millones"), "medio millón", "millón y
medio", "por ciento", and leaving the article "un"/"una" alone ("un carro").
`find_amounts` then reads every number with its unit; `parse_money` reads one amount.
"""

import math
import re
from dataclasses import dataclass, replace

from text_to_num import alpha2digit

from nlu import language
from nlu.normalise import normalise

MONEY = "money"
KM = "km"
PERCENT = "percent"
YEARS = "years"
MONTHS = "months"
YEAR = "year"
NUMBER = "number"

_data = language.load("numbers")

_NUMBER_WORDS = _data.words("number_words")
# Normalised text has no accents; text2num wants these few with theirs.
_ACCENTED: dict[str, str] = _data.table("accented")
_ARTICLES = _data.words("articles")
_MILLION_WORDS = _data.words("million_words")
_UNIT_AFTER_ARTICLE = _data.pattern("unit_after_article")

_WORD = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_NUMBER_WORD_RUN = re.compile(rf"\b(?:{_WORD})(?:\s+(?:y\s+)?(?:{_WORD}))*\b")
_PERCENT_WORDS = _data.pattern("percent_words")
# "medio millón", "un cuarto de millón", "un millón y cuarto", "2 millones y tres cuartos".
_FRACTION_OF_A_MILLION = _data.pattern("fraction_of_a_million")
_MILLION_AND_A_FRACTION = _data.pattern("million_and_a_fraction")
_MILLIONS_AND_A_FRACTION = _data.pattern("millions_and_a_fraction")
_FRACTIONS: dict[str, float] = _data.table("fractions")
# "un mil" is "mil", but in "cuarenta y un mil", "quinientos un mil" the "un" counts (41, 501 thousand).
_ONE_THOUSAND = _data.pattern("one_thousand")
_MILLIONS_THEN_THOUSANDS = _data.pattern("millions_then_thousands")
# "1 millón 200" is 1,200,000: hundreds after a million count thousands, unless they count something else.
_MILLIONS_THEN_HUNDREDS = _data.pattern("millions_then_hundreds")
_YEARS_AND_A_HALF = _data.pattern("years_and_a_half")
_DIMINUTIVES = _data.pattern("diminutives")
_DIGIT_HUNDREDS = _data.pattern("digit_hundreds")  # "3 cientos mil", "5cientos"
_MELONS = _data.pattern("melons")  # "medio melón", "2 melones" are millions
_DIMINUTIVE_WORDS: dict[str, str] = _data.table("diminutive_words")
# "300 000 pesos", "$300 000": a space as the thousands separator, read only where money or km is plain.
_SPACED_THOUSANDS = _data.pattern("spaced_thousands")

_DIGITS_WITH_MULTIPLIER = _data.pattern("digits_with_multiplier")
_MULTIPLIERS: dict[str, int] = _data.table("multipliers")

_AMOUNT = _data.pattern("amount", re.VERBOSE)
_MILE_UNITS = _data.words("mile_units")
_KM_PER_MILE = 1.609344
_CURRENCY_UNITS = _data.words("currency_units")
_UNIT_KINDS: dict[str, str] = _data.table("unit_kinds")
_MONEY_TAILS = _data.words("money_tails")  # what may follow the one amount of a money answer


@dataclass(frozen=True)
class Amount:
    """A number read from a message with what it counts: money, km, percent, years, months, a year."""

    value: float
    kind: str
    start: int
    end: int
    stated_as_money: bool = False  # "$", "mil", "k", "pesos": the writer meant money, whatever the size
    unit_end: int = -1  # where the unit it counts ends: its own end, or the end of the list that says it once

    def __post_init__(self) -> None:
        if self.unit_end < 0:
            object.__setattr__(self, "unit_end", self.end)

    @property
    def whole(self) -> int:
        return round_half_up(self.value)


def words_to_digits(text: str) -> str:
    """Number words to digits on normalised text: "trescientos mil" → "300000", "cuatro anos" → "4 anos"."""
    text = _PERCENT_WORDS.sub("%", text)
    text = _DIMINUTIVES.sub(lambda match: _DIMINUTIVE_WORDS[match.group(0)], text)
    text = _DIGIT_HUNDREDS.sub(lambda match: f"{match.group(1)}00", text)
    text = _MELONS.sub(lambda match: f"{match.group(1)} millon{match.group(2) or ''}", text)
    text = _SPACED_THOUSANDS.sub(_join_thousands, text)
    text = _FRACTION_OF_A_MILLION.sub(lambda match: _millions(0, match), text)
    text = _MILLION_AND_A_FRACTION.sub(lambda match: _millions(1, match), text)
    text = _ONE_THOUSAND.sub("mil", text)
    text = _DIGITS_WITH_MULTIPLIER.sub(_multiply_digits, text)
    text = _NUMBER_WORD_RUN.sub(_run_to_digits, text)
    text = _MILLIONS_AND_A_FRACTION.sub(lambda match: _millions(int(match.group(1)), match), text)
    text = _MILLIONS_THEN_THOUSANDS.sub(_add_thousands, text)
    text = _MILLIONS_THEN_HUNDREDS.sub(_add_thousands, text)
    return _YEARS_AND_A_HALF.sub(lambda match: f"{match.group(1) or 1}.5 {match.group(2)}", text)


def _millions(whole: int, match: re.Match[str]) -> str:
    """ "2 millones y cuarto" → "2250000": whole millions plus the fraction the match names."""
    fraction = _FRACTIONS[" ".join(match.group("fraction").split())]
    return str(round_half_up((whole + fraction) * 1_000_000))


def _join_thousands(match: re.Match[str]) -> str:
    high, low = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    return high + low


def _multiply_digits(match: re.Match[str]) -> str:
    value = parse_numeral(match.group(1)) * _MULTIPLIERS[match.group(2)]
    return str(round_half_up(value))


def _run_to_digits(match: re.Match[str]) -> str:
    run = match.group(0)
    if run in _ARTICLES and not _UNIT_AFTER_ARTICLE.match(match.string, match.end()):
        return run  # "un carro", "quiero uno": an article or a pronoun, not a count
    words = [_ACCENTED.get(word, word) for word in run.split()]
    millions_end = max((index for index, word in enumerate(words) if word in _MILLION_WORDS), default=-1)
    rest = words[millions_end + 1 :]
    if millions_end >= 0 and rest and "mil" not in rest:
        return _to_digits(words[: millions_end + 1]) + " " + _to_digits(rest)  # joined by _MILLIONS_THEN_HUNDREDS
    return _to_digits(words)


def _to_digits(words: list[str]) -> str:
    return alpha2digit(" ".join(words), "es", threshold=0)


def _add_thousands(match: re.Match[str]) -> str:
    return str(int(match.group(1)) * 1_000_000 + int(match.group(2)) * 1_000)


def round_half_up(value: float) -> int:
    """Whole units, halves up: 0.5 → 1 (Python's round() would give 0)."""
    return math.floor(value + 0.5)


def parse_numeral(numeral: str) -> float:
    """ "300,000.00" → 300000, "300.000" → 300000, "1.2" → 1.2, "1,5" → 1.5."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", numeral):
        return float(numeral.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", numeral):
        return float(numeral.replace(".", "").replace(",", "."))
    return float(numeral.replace(",", "."))


LARGEST_AMOUNT = 1e12  # no price, km or term is larger; a longer digit run is noise, not a number


def counts_time(word: str) -> bool:
    """Whether a word is a unit of years or months ("años", "meses", "mensualidades"): what a term counts."""
    return _UNIT_KINDS.get(word) in (YEARS, MONTHS)


_LIST_JOINER = _data.pattern("list_joiner")
_LIST_UNIT_KINDS = (MONTHS, YEARS, PERCENT)  # units a list may say once; "50 o 60 mil km" has no "50 km"


def find_amounts(text: str) -> list[Amount]:
    """Every number in a text that went through `words_to_digits`, with its unit, in order."""
    amounts = (_amount(match) for match in _AMOUNT.finditer(text))
    found = [amount for amount in amounts if math.isfinite(amount.value) and amount.value <= LARGEST_AMOUNT]
    return _with_list_units(text, found)


def _with_list_units(text: str, amounts: list[Amount]) -> list[Amount]:
    """A bare number listed before one with a unit counts that unit too: "a 3 o 4 años" is 3 years or 4."""
    result = list(amounts)
    for i in range(len(result) - 2, -1, -1):
        amount, following = result[i], result[i + 1]
        if (
            amount.kind == NUMBER
            and following.kind in _LIST_UNIT_KINDS
            and _LIST_JOINER.match(text[amount.end : following.start])
        ):
            result[i] = replace(amount, kind=following.kind, unit_end=following.unit_end)
    return result


def _amount(match: re.Match[str]) -> Amount:
    value = parse_numeral(match.group("numeral"))
    multiplier_word = match.group("multiplier") or match.group("mega")
    unit = " ".join((match.group("unit") or "").split())  # "plazos  anuales" is "plazos anuales"
    if multiplier_word:
        value *= _MULTIPLIERS[multiplier_word]
    if unit in _MILE_UNITS:
        value *= _KM_PER_MILE  # the catalog counts kilometres
    stated_as_money = bool(match.group("currency") or multiplier_word or unit in _CURRENCY_UNITS)
    kind = _UNIT_KINDS.get(unit)
    if kind is None:
        kind = MONEY if stated_as_money else _unitless_kind(match.group("numeral"), value)
    return Amount(value, kind, match.start(), match.end(), stated_as_money)


def _unitless_kind(numeral: str, value: float) -> str:
    if re.fullmatch(r"(?:19[5-9]\d|20[0-4]\d)", numeral):
        return YEAR
    return MONEY if value >= 10_000 else NUMBER


def parse_money(token_text: str) -> int | None:
    """One amount of money in whole pesos: "300k", "$300,000.00", "1.2 millones", "medio millón", "300 lucas"."""
    text = words_to_digits(normalise(token_text))
    amounts = find_amounts(text)
    if len(amounts) != 1 or amounts[0].kind not in (MONEY, NUMBER, YEAR):
        return None
    amount = amounts[0]
    if text[: amount.start].strip() or text[amount.end :].strip() not in _MONEY_TAILS:
        return None
    return amount.whole
