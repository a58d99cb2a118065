"""Property-based tests (hypothesis): the engine takes any text without failing, and reads numbers
written in words as it reads them in digits."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlu.intents import INTENTS
from nlu.normalise import normalise
from nlu.pipeline import understand
from nlu.slots import extract_slots
from nlu.state import DialogueState
from nlu.tests.kavak_pairs import KAVAK_PAIRS
from nlu.vocabulary import Vocabulary

VOCABULARY = Vocabulary.from_pairs(KAVAK_PAIRS)
UNITS = ["", "un", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
TEENS = ["diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve"]
TWENTIES = ["veinte", "veintiún", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis",
            "veintisiete", "veintiocho", "veintinueve"]  # fmt: skip
TENS = ["", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"]
HUNDREDS = ["", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos",
            "ochocientos", "novecientos"]  # fmt: skip

# Any text a customer could send: letters with accents, digits, punctuation, emoji, control characters.
any_text = st.text(max_size=300)
spanish_ish = st.lists(
    st.sampled_from(
        ["hola", "quiero", "un", "auto", "mazda", "de", "menos", "mil", "pesos", "a", "meses", "enganche", "?",
         "2019", "km", "versa", "no", "sí", "gracias", "humano", "dónde", "$", "300k", "%", "😀", "\n"]
    ),
    max_size=30,
).map(" ".join)  # fmt: skip


def spanish_words(number: int) -> str:
    """1..999 in words, as said before «mil» («veintiún mil», «ciento un mil»)."""
    hundreds, rest = divmod(number, 100)
    if number == 100:
        return "cien"
    words = [HUNDREDS[hundreds]] if hundreds else []
    if rest >= 30:
        tens, units = divmod(rest, 10)
        words.append(TENS[tens] + (f" y {UNITS[units]}" if units else ""))
    elif rest >= 20:
        words.append(TWENTIES[rest - 20])
    elif rest >= 10:
        words.append(TEENS[rest - 10])
    elif rest:
        words.append(UNITS[rest])
    return " ".join(words)


def read(text: str, kind: str) -> str:
    return understand(text, state=DialogueState(), vocabulary=VOCABULARY, faq_index=None, kind=kind).intent


@pytest.mark.parametrize("kind", ["sales", "onboarding"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(any_text, spanish_ish))
def test_it_reads_any_text_as_one_of_the_twelve_intents(kind, text):
    assert read(text, kind) in INTENTS


@settings(max_examples=200, deadline=None)
@given(number=st.integers(min_value=20, max_value=999))  # a used car costs tens of thousands
def test_it_reads_a_price_in_words_as_the_same_price_in_digits(number):
    in_digits = extract_slots(normalise(f"menos de {number} mil"), VOCABULARY)
    in_words = extract_slots(normalise(f"menos de {spanish_words(number)} mil"), VOCABULARY)

    assert in_words == in_digits == {"max_price": number * 1000}


@pytest.mark.parametrize(
    ("number", "words"), [(21, "veintiún"), (100, "cien"), (101, "ciento un"), (345, "trescientos cuarenta y cinco")]
)
def test_it_writes_numbers_in_spanish_words_for_the_property(number, words):
    assert spanish_words(number) == words
