import pytest

from nlu.normalise import normalise
from nlu.numbers import (
    KM,
    MONEY,
    MONTHS,
    NUMBER,
    PERCENT,
    YEAR,
    YEARS,
    find_amounts,
    parse_money,
    parse_numeral,
    round_half_up,
    words_to_digits,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trescientos mil", "300000"),
        ("cuatro años", "4 anos"),
        ("a cinco años", "a 5 anos"),
        ("medio millón", "500000"),
        ("un millón doscientos mil", "1200000"),
        ("millón y medio", "1500000"),
        ("un millón y medio", "1500000"),
        ("dos millones y medio", "2500000"),
        ("1.2 millones", "1200000"),
        ("300 mil", "300000"),
        ("1 millón 200 mil", "1200000"),
        ("veintidós mil", "22000"),
        ("ciento cincuenta mil de enganche", "150000 de enganche"),
        ("dos mil diecinueve", "2019"),
        ("del dos mil veinte", "del 2020"),
        ("treinta por ciento", "30%"),
        ("dando el 30 por ciento", "dando el 30%"),
        ("entre doscientos y trescientos mil", "entre 200 y 300000"),
        ("cero enganche", "0 enganche"),
        ("a un año", "a 1 ano"),
        ("un mes", "1 mes"),
    ],
)
def test_it_turns_number_words_into_digits(text: str, expected: str) -> None:
    assert words_to_digits(normalise(text)) == expected


@pytest.mark.parametrize(
    "text",
    ["un carro", "una camioneta", "quiero uno", "busco una de 7 pasajeros", "la segunda", "cuarto", "sola"],
)
def test_it_leaves_articles_and_ordinary_words_alone(text: str) -> None:
    assert words_to_digits(normalise(text)) == normalise(text)


@pytest.mark.parametrize(("text", "expected"), [("el mazda tres", "el mazda 3"), ("serie tres", "serie 3")])
def test_it_writes_model_numbers_as_digits(text: str, expected: str) -> None:
    assert words_to_digits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("300k", 300000),
        ("300 k", 300000),
        ("300 mil", 300000),
        ("$300,000.00", 300000),
        ("$ 250,000 MXN", 250000),
        ("300,000", 300000),
        ("300.000", 300000),
        ("1.2 millones", 1200000),
        ("1,5 millones", 1500000),
        ("1.2m", 1200000),
        ("0.3 millones", 300000),
        ("2 millones de pesos", 2000000),
        ("medio millón", 500000),
        ("350 mil pesos", 350000),
        ("trescientos mil", 300000),
        ("300 lucas", 300000),
        ("medio melón", 500000),
        ("3 cientos mil", 300000),
        ("un melón y medio", 1500000),
        ("2 melones", 2000000),
        ("300 varos", 300),
        ("226999", 226999),
    ],
)
def test_it_parses_an_amount_of_money(text: str, expected: int) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    "text", ["300 km", "30%", "4 años", "48 meses", "hola", "", "300 mil o 400 mil", "me gusta el melón"]
)
def test_it_parses_no_money_from_what_is_not_one_amount_of_money(text: str) -> None:
    assert parse_money(text) is None


@pytest.mark.parametrize(
    ("numeral", "expected"),
    [("300,000.00", 300000.0), ("300.000", 300000.0), ("1.2", 1.2), ("1,5", 1.5), ("2019", 2019.0)],
)
def test_it_reads_thousands_separators_and_decimal_marks(numeral: str, expected: float) -> None:
    assert parse_numeral(numeral) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("menos de 50000 km", [(50000, KM)]),
        ("50k km", [(50000, KM)]),
        ("30% de enganche", [(30, PERCENT)]),
        ("a 4 anos", [(4, YEARS)]),
        ("48 meses", [(48, MONTHS)]),
        ("36 mensualidades", [(36, MONTHS)]),
        ("del 2019", [(2019, YEAR)]),
        ("$300,000", [(300000, MONEY)]),
        ("300k", [(300000, MONEY)]),
        ("250000", [(250000, MONEY)]),
        ("300 varos", [(300, MONEY)]),
        ("a 48", [(48, NUMBER)]),
        ("200-300000", [(200, NUMBER), (300000, MONEY)]),
        ("a 3 o 4 anos", [(3, YEARS), (4, YEARS)]),
        ("36, 48 y 60 meses", [(36, MONTHS), (48, MONTHS), (60, MONTHS)]),
        ("10 o 20%", [(10, PERCENT), (20, PERCENT)]),
        ("50 o 60 mil km", [(50, NUMBER), (60000, KM)]),
        ("2 carros de 4 anos", [(2, NUMBER), (4, YEARS)]),
    ],
)
def test_it_finds_amounts_with_their_units(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(amount.value, amount.kind) for amount in find_amounts(text)] == expected


@pytest.mark.parametrize("text", ["cx-5", "mg5", "x1", "q70", "a las 9:00", "km/h"])
def test_it_finds_no_amount_inside_model_names_or_times(text: str) -> None:
    assert [amount.value for amount in find_amounts(text) if amount.value >= 1] == []


def test_it_marks_amounts_written_as_money() -> None:
    amounts = find_amounts("300 varos o 300")
    assert [amount.stated_as_money for amount in amounts] == [True, False]


@pytest.mark.parametrize(("value", "expected"), [(0.5, 1), (1.5, 2), (2.5, 3), (2.4999, 2), (299999.6, 300000)])
def test_it_rounds_halves_up(value: float, expected: int) -> None:
    assert round_half_up(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("un millón doscientos", "1200000"),
        ("dos millones trescientos cincuenta", "2350000"),
        ("un millón y doscientos", "1200000"),
        ("1 millón 200", "1200000"),
        ("un millón doscientos mil", "1200000"),
        ("2 millones 48 meses", "2000000 48 meses"),
    ],
)
def test_it_reads_hundreds_after_a_million_as_thousands(text: str, expected: str) -> None:
    assert words_to_digits(normalise(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("un año y medio", "1.5 ano"), ("año y medio", "1.5 ano"), ("a dos años y medio", "a 2.5 anos")],
)
def test_it_reads_a_year_and_a_half(text: str, expected: str) -> None:
    assert words_to_digits(normalise(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("unos 2 milloncitos", "unos 2000000"), ("350 mil pesitos", "350000 pesos"), ("300 lukas", "300 lucas")],
)
def test_it_reads_diminutives_of_money_words(text: str, expected: str) -> None:
    assert words_to_digits(normalise(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("300 000 pesos", "300000 pesos"), ("$300 000", "$300000"), ("80 000 km", "80000 km"), ("tengo 2 000", None)],
)
def test_it_reads_a_space_as_thousands_separator_only_before_a_unit(text: str, expected: str | None) -> None:
    assert words_to_digits(normalise(text)) == (expected or normalise(text))


@pytest.mark.parametrize(("text", "expected"), [("50k miles", 80467), ("30 mil millas", 48280)])
def test_it_reads_miles_as_kilometres(text: str, expected: int) -> None:
    amounts = find_amounts(words_to_digits(normalise(text)))
    assert [(amount.whole, amount.kind) for amount in amounts] == [(expected, KM)]


def test_it_ignores_a_digit_run_too_long_to_be_an_amount():
    assert find_amounts("1" * 1600) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("un cuarto de millón", 250000),
        ("cuarto de millon", 250000),
        ("tres cuartos de millón", 750000),
        ("3 cuartos de millon", 750000),
        ("un millón y cuarto", 1250000),
        ("un millón y tres cuartos", 1750000),
        ("dos millones y cuarto", 2250000),
        ("3 millones y medio", 3500000),
    ],
)
def test_it_reads_fractions_of_a_million(text: str, expected: int) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize("text", ["a las 3 y cuarto", "un cuarto de hora", "el cuarto carro"])
def test_it_leaves_quarters_that_count_no_million_alone(text: str) -> None:
    assert words_to_digits(normalise(text)) == normalise(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a 6 plazos anuales", [(6, YEARS)]),
        ("en 5 anualidades", [(5, YEARS)]),
        ("en 24 plazos", [(24, MONTHS)]),
        ("for 4 years", [(4, YEARS)]),
        ("3 yrs", [(3, YEARS)]),
        ("over 60 months", [(60, MONTHS)]),
        ("48 monthly payments", [(48, MONTHS)]),
        ("20 percent down", [(20, PERCENT)]),
        ("15 pct", [(15, PERCENT)]),
    ],
)
def test_it_reads_terms_and_shares_written_in_english_or_as_yearly_payments(
    text: str, expected: list[tuple[float, str]]
) -> None:
    amounts = find_amounts(words_to_digits(normalise(text)))
    assert [(amount.value, amount.kind) for amount in amounts] == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("50 thousand", 50000), ("1.5 million", 1500000), ("2 millions", 2000000)]
)
def test_it_reads_english_multipliers(text: str, expected: int) -> None:
    assert parse_money(text) == expected
