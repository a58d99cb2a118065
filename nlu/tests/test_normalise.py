import pytest

from nlu.normalise import normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hola Buenas TARDES", "hola buenas tardes"),
        ("¿Qué versión es?", "que version es"),
        ("año, señor, pingüino", "ano senor pinguino"),
        ("¡¡Sí!!", "si"),
        ('"ok" (ya)…', "ok ya"),
    ],
)
def test_it_folds_case_accents_and_punctuation(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hola 👋", "hola hola"),
        ("va 👍", "va ok"),
        ("gracias 🙏", "gracias gracias"),
        ("👍🏽", "ok"),
        ("listo ❤️🔥", "listo"),
        ("busco 🚙", "busco camioneta"),
    ],
)
def test_it_maps_a_few_emoji_to_words_and_drops_the_rest(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("holaaa", "hola"),
        ("siiii", "si"),
        ("porfaaa", "por favor"),
        ("noooo", "no"),
        ("buenooo", "bueno"),
        ("holaa", "hola"),
        ("graciasss", "gracias"),
        ("carrrro", "carro"),
        ("eeel", "el"),
    ],
)
def test_it_collapses_stretched_letters(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize("word", ["carro", "llevar", "accion", "leer", "cooper", "jeep", "lee", "cree", "innovar"])
def test_it_keeps_legitimate_double_letters(word: str) -> None:
    assert normalise(word) == word


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("q onda", "que onda"),
        ("k tienen", "que tienen"),
        ("ke precio", "que precio"),
        ("xq no", "porque no"),
        ("pq", "porque"),
        ("pk", "porque"),
        ("porq", "porque"),
        ("tmb", "tambien"),
        ("tb", "tambien"),
        ("tbn", "tambien"),
        ("x favor", "por favor"),
        ("d 300 mil", "de 300 mil"),
        ("porfa", "por favor"),
        ("plis", "por favor"),
        ("pls", "por favor"),
        ("xfa", "por favor"),
        ("ntp", "no te preocupes"),
        ("grax", "gracias"),
        ("grs", "gracias"),
        ("mas info", "mas informacion"),
        ("sta bien", "esta bien"),
        ("ola", "hola"),
    ],
)
def test_it_expands_chat_abbreviations(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("en cdmx", "en cdmx"),
        ("50 mil km", "50 mil km"),
        ("300 k", "300 k"),
        ("el x trail", "el x trail"),
        ("la X-Trail", "la x-trail"),
    ],
)
def test_it_keeps_what_only_looks_like_an_abbreviation(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$300,000.00", "$300,000.00"),
        ("$ 250,000", "$250,000"),
        ("1.2 millones.", "1.2 millones"),
        ("30%", "30%"),
        ("30 %", "30%"),
        ("a las 9:00.", "a las 9:00"),
        ("CX-5", "cx-5"),
        ("km/h", "km/h"),
        ("hola, ¿tienen?", "hola tienen"),
        ("precio: 300", "precio 300"),
        ("Mercedes-Benz", "mercedes-benz"),
        ("sentra - 2019", "sentra 2019"),
        ("cuesta $", "cuesta"),
    ],
)
def test_it_keeps_the_symbols_numbers_and_model_names_need(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_it_collapses_whitespace() -> None:
    assert normalise("  hola \n\t  tienen   onix  ") == "hola tienen onix"


def test_it_returns_empty_text_for_only_symbols() -> None:
    assert normalise("¿¡…!?") == ""


def test_it_is_idempotent_on_its_own_output() -> None:
    once = normalise("¿Tienen Chebys de menos de $300,000? porfaaa 🙏")
    assert normalise(once) == once


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020+", "2020 o mas"),
        ("300k+", "300k o mas"),
        ("300 mil+ ", "300 mil o mas"),
        ("2019 + 50 mil km", "2019 mas 50 mil km"),
    ],
)
def test_it_reads_a_plus_after_an_amount_as_or_more(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
