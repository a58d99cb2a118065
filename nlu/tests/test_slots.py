from datetime import date

import pytest

from nlu.normalise import normalise
from nlu.slots import extract_slots
from nlu.tests.kavak_pairs import KAVAK_PAIRS
from nlu.vocabulary import Vocabulary

VOCABULARY = Vocabulary.from_pairs(KAVAK_PAIRS)


def slots_of(message: str) -> dict[str, object]:
    return extract_slots(normalise(message), VOCABULARY)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("de menos de 300k", {"max_price": 300000}),
        ("menos de 300 mil", {"max_price": 300000}),
        ("que no pase de 200 mil", {"max_price": 200000}),
        ("máximo $350,000", {"max_price": 350000}),
        ("hasta 200 mil", {"max_price": 200000}),
        ("de 300 mil para abajo", {"max_price": 300000}),
        ("presupuesto de 250 mil", {"max_price": 250000}),
        ("mi presupuesto es de 250 mil", {"max_price": 250000}),
        ("tengo 300 mil", {"max_price": 300000}),
        ("menos de medio millón", {"max_price": 500000}),
        ("trescientos mil pesos", {"max_price": 300000}),
        ("1.2 millones", {"max_price": 1200000}),
        ("300 mil", {"max_price": 300000}),
        ("menos de 300", {"max_price": 300000}),
        ("no más de 300 mil", {"max_price": 300000}),
        ("más o menos 300 mil", {"max_price": 300000}),
        ("budget 300k", {"max_price": 300000}),
        ("less than 300k", {"max_price": 300000}),
        ("under 300k", {"max_price": 300000}),
    ],
)
def test_it_reads_a_maximum_price(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    "message", ["de 700 mil para arriba", "más de 700 mil", "arriba de 700 mil", "700 mil o más", "desde 700 mil"]
)
def test_it_reads_a_minimum_price(message: str) -> None:
    assert slots_of(message) == {"min_price": 700000}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("entre 200 y 300 mil", (200000, 300000)),
        ("de 200 a 250 mil", (200000, 250000)),
        ("entre doscientos y trescientos mil", (200000, 300000)),
        ("200 a 300 mil", (200000, 300000)),
        ("200-300 mil", (200000, 300000)),
        ("entre 1 y 1.5 millones", (1000000, 1500000)),
        ("entre 900 mil y 1.2 millones", (900000, 1200000)),
        ("de $150,000 a $200,000", (150000, 200000)),
    ],
)
def test_it_reads_a_price_range(message: str, expected: tuple[int, int]) -> None:
    slots = slots_of(message)
    assert (slots["min_price"], slots["max_price"]) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("del 2019 para arriba", {"year_min": 2019}),
        ("2019 en adelante", {"year_min": 2019}),
        ("2019 o más nuevo", {"year_min": 2019}),
        ("a partir del 2018", {"year_min": 2018}),
        ("de 2018 a la fecha", {"year_min": 2018}),
        ("después del 2018", {"year_min": 2019}),
        ("no más viejo que 2017", {"year_min": 2017}),
        ("2016 o más viejo", {"year_max": 2016}),
        ("2016 para atrás", {"year_max": 2016}),
        ("hasta el 2018", {"year_max": 2018}),
        ("antes del 2018", {"year_max": 2017}),
        ("entre 2018 y 2020", {"year_min": 2018, "year_max": 2020}),
        ("del 2018 al 2020", {"year_min": 2018, "year_max": 2020}),
        ("2018 o 2019", {"year_min": 2018, "year_max": 2019}),
        ("modelo 2020", {"year_min": 2020, "year_max": 2020}),
        ("modelo 19", {"year_min": 2019, "year_max": 2019}),
        ("del dos mil veinte", {"year_min": 2020, "year_max": 2020}),
    ],
)
def test_it_reads_model_years(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("la versa 2020", {"make": "Nissan", "model": "Versa", "year_min": 2020, "year_max": 2020}),
        ("el aveo 2016", {"make": "Chevrolet", "model": "Aveo", "year_min": 2016, "year_max": 2016}),
        ("tienen mazda 3 modelo 2018?", {"make": "Mazda", "model": "Mazda 3", "year_min": 2018, "year_max": 2018}),
    ],
)
def test_it_reads_the_year_of_a_named_model(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


def test_it_reads_a_car_age_as_a_minimum_year() -> None:
    assert slots_of("un carro con menos de 5 años de uso") == {"year_min": date.today().year - 5}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("menos de 50 mil km", 50000),
        ("con menos de 30 mil kilometros", 30000),
        ("con menos de 30 mil kilómetros", 30000),
        ("que no pase de 80,000 km", 80000),
        ("50k km", 50000),
        ("kilometraje menor a 50 mil", 50000),
        ("que no tenga más de 60 mil kilómetros", 60000),
    ],
)
def test_it_reads_kilometres_apart_from_money(message: str, expected: int) -> None:
    assert slots_of(message) == {"max_km": expected}


def test_it_reads_kilometres_and_a_price_in_one_message() -> None:
    slots = slots_of("quiero uno con menos de 30 mil km y que no pase de 350 mil")
    assert slots == {"max_km": 30000, "max_price": 350000}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("a 4 años", 48),
        ("4 años", 48),
        ("48 meses", 48),
        ("a cinco años", 60),
        ("a 6 años", 72),
        ("a 10 años", 120),
        ("a 2 años", 24),
        ("a un año", 12),
        ("plazo de 60", 60),
        ("a un plazo de 5", 60),
        ("en 36 mensualidades", 36),
        ("a 48", 48),
    ],
)
def test_it_reads_a_term_in_months(message: str, expected: int) -> None:
    assert slots_of(message) == {"term_months": expected}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("enganche de 60 mil", 60000),
        ("con 50 mil de enganche", 50000),
        ("dando 100 mil de enganche", 100000),
        ("le doy 80 mil", 80000),
        ("tengo 100 mil para dar de enganche", 100000),
        ("enganche de 60", 60000),
        ("sin enganche", 0),
        ("enganche 0", 0),
        ("cero enganche", 0),
    ],
)
def test_it_reads_a_down_payment_in_pesos(message: str, expected: int) -> None:
    assert slots_of(message) == {"down_payment": expected}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("30% de enganche", 0.3),
        ("con 20%", 0.2),
        ("40% de enganche", 0.4),
        ("dando el 30 por ciento", 0.3),
        ("enganche del 15%", 0.15),
        ("veinte por ciento de enganche", 0.2),
    ],
)
def test_it_reads_a_down_payment_share(message: str, expected: float) -> None:
    assert slots_of(message) == {"down_payment_pct": expected}


def test_it_reads_a_term_and_a_down_payment_share_together() -> None:
    assert slots_of("a 48 meses dando 30% de enganche") == {"term_months": 48, "down_payment_pct": 0.3}


def test_it_reads_money_brought_to_a_plan_as_a_down_payment() -> None:
    assert slots_of("cuánto me quedaría con 100 mil a 4 años") == {"down_payment": 100000, "term_months": 48}


@pytest.mark.parametrize(
    "message", ["tasa del 12%", "quiero pagar 5 mil al mes", "una mensualidad de 6 mil", "cuánto pagaría al mes"]
)
def test_it_reads_no_price_from_rates_or_monthly_payments(message: str) -> None:
    assert not {"min_price", "max_price", "down_payment"} & set(slots_of(message))


@pytest.mark.parametrize(
    ("message", "budget"),
    [("quiero pagar 5 mil al mes", 5000), ("una mensualidad de 6 mil", 6000), ("puedo dar 4500 mensuales", 4500)],
)
def test_it_reads_a_monthly_budget(message: str, budget: int) -> None:
    assert slots_of(message)["max_monthly_payment"] == budget


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("quiero una camioneta", "suv"),
        ("busco SUV", "suv"),
        ("hola, tienen troca?", "pickup"),
        ("una pick up", "pickup"),
        ("camioneta pick up", "pickup"),
        ("busco una van", "minivan"),
        ("tienen minivans?", "minivan"),
        ("un sedán", "sedan"),
        ("un hatchback", "hatchback"),
        ("algo deportivo", "coupe"),
    ],
)
def test_it_reads_a_body_type(message: str, expected: str) -> None:
    assert slots_of(message) == {"body_type": expected}


def test_it_does_not_take_the_verb_van_for_a_minivan() -> None:
    assert slots_of("¿cuándo van a abrir?") == {}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("¿el onix tiene carplay?", ["car_play"]),
        ("con apple car play", ["car_play"]),
        ("y bluetooth?", ["bluetooth"]),
        ("que tenga bluetut", ["bluetooth"]),
        ("con carplay y bluetooth", ["car_play", "bluetooth"]),
    ],
)
def test_it_lists_features_asked_for(message: str, expected: list[str]) -> None:
    assert slots_of(message).get("features") == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("¿Tienen Chebys de menos de 300k?", {"make": "Chevrolet", "max_price": 300000}),
        ("tienen vochos o algún otro VW?", {"make": "Volkswagen"}),
        ("tienen algún kia rio?", {"make": "KIA", "model": "Rio"}),
        ("el CLA tiene carplay?", {"make": "Mercedes Benz", "model": "Clase CLA", "features": ["car_play"]}),
        ("tienen cx5?", {"make": "Mazda", "model": "CX-5"}),
        ("peugeot 208 de menos de 300 mil", {"make": "Peugeot", "model": "208", "max_price": 300000}),
        ("el x1 a 48 meses cuanto queda", {"make": "BMW", "model": "X1", "term_months": 48}),
        ("la serie tres del 2019", {"make": "BMW", "model": "Serie 3", "year_min": 2019, "year_max": 2019}),
    ],
)
def test_it_reads_make_and_model_without_taking_their_digits_for_numbers(
    message: str, expected: dict[str, object]
) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "q tienen por menos de trescientos mil pesos del 2020 en adelante",
            {"max_price": 300000, "year_min": 2020},
        ),
        (
            "nissan del 2019 para arriba con menos de 50 mil km",
            {"make": "Nissan", "year_min": 2019, "max_km": 50000},
        ),
        (
            "la captiva con 40% de enganche a cinco años?",
            {"make": "Chevrolet", "model": "Captiva", "down_payment_pct": 0.4, "term_months": 60},
        ),
        (
            "cuánto quedaría la mensualidad con 150 mil de enganche a 60 meses?",
            {"down_payment": 150000, "term_months": 60},
        ),
        (
            "algo de hasta 200 mil, puede ser modelo 2016 o más viejo",
            {"max_price": 200000, "year_max": 2016},
        ),
        (
            "quiero una camioneta de menos de 300 mil",
            {"body_type": "suv", "max_price": 300000},
        ),
    ],
)
def test_it_reads_every_slot_of_a_long_message(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    "message",
    [
        "necesito un carro",
        "hola buenas tardes",
        "quiero uno",
        "el 208",
        "a las 9:00",
        "tengo 2 hijos",
        "qué onda",
        "¿dónde están ubicados?",
    ],
)
def test_it_reads_nothing_from_a_message_without_slots(message: str) -> None:
    assert slots_of(message) == {}


# --- Comparisons, negations and fragments -------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("q no sea mas viejo q 2022", {"year_min": 2022}),
        ("que no sea más nuevo que 2018", {"year_max": 2018}),
        ("no anterior a 2019", {"year_min": 2019}),
        ("no menor a 2019", {"year_min": 2019}),
        ("no mayor a 2019", {"year_max": 2019}),
        ("que no sea antes del 2019", {"year_min": 2019}),
        ("que no sea después del 2020", {"year_max": 2020}),
        ("que no sea menor al 2018", {"year_min": 2018}),
        ("que no sean mayores a 2021", {"year_max": 2021}),
        ("no quiero nada anterior al 2017", {"year_min": 2017}),
        ("nada más viejo del 2018", {"year_min": 2018}),
        ("que no este mas antiguo que 2016", {"year_min": 2016}),
        ("no menos de 2018", {"year_min": 2018}),
        ("no más de 2018", {"year_max": 2018}),
    ],
)
def test_it_reads_a_negated_year_comparison_as_the_opposite_bound(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("2022 or newer", {"year_min": 2022}),
        ("2022 or later", {"year_min": 2022}),
        ("2019 and up", {"year_min": 2019}),
        ("2019 onwards", {"year_min": 2019}),
        ("2018 or older", {"year_max": 2018}),
        ("newer than 2019", {"year_min": 2020}),
        ("after 2018", {"year_min": 2019}),
        ("older than 2015", {"year_max": 2014}),
        ("before 2020", {"year_max": 2019}),
        ("2020+", {"year_min": 2020}),
        ("que sea del 2017 pa acá", {"year_min": 2017}),
        ("del 2019 pa delante", {"year_min": 2019}),
        ("que sea de 2020 para adelante", {"year_min": 2020}),
    ],
)
def test_it_reads_open_year_ranges_in_english_and_slang(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("del 18 para arriba", {"year_min": 2018}),
        ("del 18 en adelante", {"year_min": 2018}),
        ("modelo 18 o 19", {"year_min": 2018, "year_max": 2019}),
        ("la serie 3 del 20", {"make": "BMW", "model": "Serie 3", "year_min": 2020, "year_max": 2020}),
        ("tienes el onix del 22?", {"make": "Chevrolet", "model": "Onix", "year_min": 2022, "year_max": 2022}),
    ],
)
def test_it_reads_a_two_digit_year_after_a_year_cue(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    "message",
    ["nos vemos a partir del 15", "el del 15 me queda bien", "quiero agendar una cita del 15 al 20 de marzo"],
)
def test_it_does_not_take_a_day_for_a_year_or_a_price(message: str) -> None:
    assert slots_of(message) == {}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("y de 150?", {"max_price": 150000}),
        ("de menos de 200?", {"max_price": 200000}),
        ("hasta 250", {"max_price": 250000}),
        ("algo de 400?", {"max_price": 400000}),
        ("quiero algo económico como de 180", {"max_price": 180000}),
        ("busco algo de unos 350", {"max_price": 350000}),
        ("ok va, en 150 lo dejas?", {"max_price": 150000}),
        ("hasta 1500", {"max_price": 1500000}),
    ],
)
def test_it_reads_a_bare_price_fragment_in_thousands(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("y de 48?", {}),
        ("y a 60?", {"term_months": 60}),
        ("motor de 150 caballos", {}),
        ("es de 1500 cc?", {}),
        ("tienen más de 100 carros?", {}),
        ("quiero pagar menos de 3000", {}),
        ("y de 30%?", {"down_payment_pct": 0.3}),
        ("en 3 días voy", {}),
    ],
)
def test_it_keeps_terms_units_and_monthly_amounts_out_of_bare_prices(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("no menos de 200 mil", {"min_price": 200000}),
        ("que no sea menos de 200 mil", {"min_price": 200000}),
        ("que cueste más de 200 y menos de 300", {"min_price": 200000, "max_price": 300000}),
        ("mínimo 150 mil máximo 250 mil", {"min_price": 150000, "max_price": 250000}),
        ("no quiero gastar más de 300", {"max_price": 300000}),
        ("lo más que puedo gastar son 320", {"max_price": 320000}),
        ("me quiero gastar unos 250", {"max_price": 250000}),
        ("mi presu es de 300 mil 😅", {"max_price": 300000}),
        ("300k+", {"min_price": 300000}),
    ],
)
def test_it_reads_price_bounds_however_they_are_phrased(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("budget of 300k", {"max_price": 300000}),
        ("anything under 300k?", {"max_price": 300000}),
        ("cheap sedan please", {"body_type": "sedan"}),
        ("monthly de 5 mil", {}),
        ("5k a month", {}),
        ("down payment de 50 mil", {"down_payment": 50000}),
        ("con un down de 80k", {"down_payment": 80000}),
        ("cuánto el down payment", {}),
        ("mileage under 60k", {"max_km": 60000}),
        ("less than 50k km", {"max_km": 50000}),
        ("less than 50k miles", {"max_km": 80467}),
        ("menos de 50 mil millas", {"max_km": 80467}),
    ],
)
def test_it_reads_english_mixed_into_a_message(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


# --- Realistic WhatsApp messages ------------------------------------------------------------------

THIS_YEAR = date.today().year


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("QUE NAVES TIENES EN 200 MIL", {"max_price": 200000}),
        ("busco una troca pa trabajar, d unos 350", {"body_type": "pickup", "max_price": 350000}),
        ("tengo como 180 mil de lana para el enganche", {"down_payment": 180000}),
        ("traigo 150 mil de feria pal enganche", {"down_payment": 150000}),
        (
            "cuanto varo x un jetta 2019??",
            {"make": "Volkswagen", "model": "Jetta", "year_min": 2019, "year_max": 2019},
        ),
        ("ando buscando algo baratón, máximo doscientos cincuenta mil", {"max_price": 250000}),
        ("un millón y medio es mi tope", {"max_price": 1500000}),
        ("un millon doscientos", {"max_price": 1200000}),
        ("unos 2 milloncitos", {"max_price": 2000000}),
        ("350 mil pesitos", {"max_price": 350000}),
        ("300 000 pesos", {"max_price": 300000}),
        ("ke onda compa, tienes alguna nave en 200 varos?", {"max_price": 200000}),
        ("me alcanza con 300 lucas?", {"max_price": 300000}),
        ("tienen algun crv de 2020 pa arriba?", {"make": "Honda", "model": "CR-V", "year_min": 2020}),
        ("ps quiero algo q no tenga mas de 60 mil kms", {"max_km": 60000}),
        ("y si doy 50 mil de enganche a tres años?", {"down_payment": 50000, "term_months": 36}),
        ("Q onda, tienen mazdas 3?", {"make": "Mazda", "model": "Mazda 3"}),
        (
            "me late la tiguan pero sale muy cara, algo de 400?",
            {"make": "Volkswagen", "model": "Tiguan", "max_price": 400000},
        ),
        ("👋 hola busco 🚙 familiar para 7", {"body_type": "suv"}),  # 🚙 is a camioneta
        ("ocupo una camioneta de 7 pasajeros q no pase de 450k", {"body_type": "suv", "max_price": 450000}),
        ("tienen versas?", {"make": "Nissan", "model": "Versa"}),
        ("los aveos q precio tienen", {"make": "Chevrolet", "model": "Aveo"}),
        ("dame opciones de SUV entre 300 y 400 mil", {"body_type": "suv", "min_price": 300000, "max_price": 400000}),
        ("tienes algo en 250 o menos", {"max_price": 250000}),
        ("de 3 años para acá", {"year_min": THIS_YEAR - 3}),
        ("a un año y medio", {"term_months": 18}),
        ("quiero financiar a 5 años con 20% de enganche", {"term_months": 60, "down_payment_pct": 0.2}),
        ("mensualidades de 6 mil como máximo", {"max_monthly_payment": 6000}),
        ("tienen chevys del 2018?", {"make": "Chevrolet", "year_min": 2018, "year_max": 2018}),
        (
            "hola quiero el vento del 2020 en 220 mil",
            {"make": "Volkswagen", "model": "Vento", "year_min": 2020, "year_max": 2020, "max_price": 220000},
        ),
        ("un sedan automatico 2019 o mas nuevo", {"body_type": "sedan", "transmission": "automatic", "year_min": 2019}),
        ("SEDANES de menos de 250k", {"body_type": "sedan", "max_price": 250000}),
        ("tienen trocas 4x4?", {"body_type": "pickup"}),
        ("QUIERO UNA CAMIONETA DEL 2020 PARA ARRIBA", {"body_type": "suv", "year_min": 2020}),
        ("con menos de cien mil kilómetros", {"max_km": 100000}),
        ("que no tenga mas de 70 mil km recorridos", {"max_km": 70000}),
        ("en cuanto me queda a tres años con doscientos mil de enganche", {"term_months": 36, "down_payment": 200000}),
        ("pago inicial de 70 mil", {"down_payment": 70000}),
        ("anticipo 20%", {"down_payment_pct": 0.2}),
        ("con el 10 porciento", {"down_payment_pct": 0.1}),
        ("tengo 200mil", {"max_price": 200000}),
        ("máx 280", {"max_price": 280000}),
        ("Tope 400", {"max_price": 400000}),
        ("desde 180 mil hasta 250 mil", {"min_price": 180000, "max_price": 250000}),
        ("soy de monterrey y busco algo de 200", {"max_price": 200000}),
        ("que kias tienes disponibles", {"make": "KIA"}),
        ("bmws?", {"make": "BMW"}),
        ("toyotas del 2020", {"make": "Toyota", "year_min": 2020, "year_max": 2020}),
        ("algo deportivo, coupé", {"body_type": "coupe"}),
        ("algo tipo cabrio", {"body_type": "coupe"}),
        ("I want a pickup 2022 or newer", {"body_type": "pickup", "year_min": 2022}),
        ("nada más el 2018", {"year_min": 2018, "year_max": 2018}),
    ],
)
def test_it_reads_realistic_whatsapp_messages(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


def test_it_reads_a_model_that_is_also_a_word_after_an_article() -> None:
    vocabulary = Vocabulary.from_pairs([("Honda", "City"), ("Honda", "Civic")])
    slots = extract_slots(normalise("y el city con lo mismo?"), vocabulary)
    assert slots == {"make": "Honda", "model": "City"}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("busco un sedán automático", "automatic"),
        ("tienen automáticos?", "automatic"),
        ("algo de transmisión automática", "automatic"),
        ("quiero uno estándar", "manual"),
        ("de velocidades, no automático no", None),
        ("automático o estándar, me da igual", None),
    ],
)
def test_it_reads_the_transmission_wanted(message: str, expected: str | None) -> None:
    assert slots_of(message).get("transmission") == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("una camioneta de unos 300 o 350 mil", 350000),
        ("algo de 350 o 300 mil", 350000),
        ("tienes algo de 200 o 250k", 250000),
        ("unos 150 mil o 200 mil", 200000),
    ],
)
def test_it_takes_the_higher_of_two_prices_as_the_budget(message: str, expected: int) -> None:
    slots = slots_of(message)
    assert (slots.get("max_price"), "min_price" in slots) == (expected, False)


@pytest.mark.parametrize("message", ["mi número es 5512345678", "márcame al 5587654321"])
def test_it_reads_no_price_from_a_phone_number(message: str) -> None:
    assert "max_price" not in slots_of(message) and "min_price" not in slots_of(message)


def test_it_reads_a_typo_of_a_pickup_word() -> None:
    assert slots_of("k onda tienes trokas?")["body_type"] == "pickup"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("con 30% de enganche a 72", 72),
        ("si doy el 25 por ciento de entrada, en 36", 36),
        ("con 40 mil de enganche a 48 cuánto sería", 48),
        ("cuánto me sale al mes a 24", 24),
        ("con 20% de enganche en 4", 48),
        ("cuanto queda la mensualidad a 3", 36),
        ("lo quiero financiar en 5", 60),
        ("con crédito a 6 cuánto pagaría", 72),
        ("con 50 mil de anticipo a siete", 84),
    ],
)
def test_it_reads_a_bare_number_after_a_or_en_as_a_term_in_a_message_about_a_plan(message: str, expected: int) -> None:
    assert slots_of(message)["term_months"] == expected


@pytest.mark.parametrize(
    "message",
    [
        "a 4",  # no plan in the message: the dialogue reads it in context
        "busco algo en 5 puertas",
        "con 20% de enganche, de 5 a 7 pasajeros",
        "con 30% de enganche nos vemos a las 5",
        "con enganche de 50 mil, ¿tienen algo en 300?",
        "con 20% de enganche en 2020",
        "pago de contado en 1 solo pago",
    ],
)
def test_it_reads_no_term_from_a_number_that_counts_something_else(message: str) -> None:
    assert "term_months" not in slots_of(message)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("how much monthly for 4 years", {"term_months": 48}),
        ("can I finance it for like 10 years?", {"term_months": 120}),
        ("60 months please", {"term_months": 60}),
        ("spread over 36 months", {"term_months": 36}),
        ("20 percent down", {"down_payment_pct": 0.2}),
        ("with 50k down", {"down_payment": 50000}),
        ("put 30 thousand down for 48 months", {"down_payment": 30000, "term_months": 48}),
        ("a 6 plazos anuales", {"term_months": 72}),
        ("en 5 anualidades", {"term_months": 60}),
    ],
)
def test_it_reads_terms_and_down_payments_written_in_english_or_as_yearly_payments(
    message: str, expected: dict[str, object]
) -> None:
    assert slots_of(message) == expected


def test_it_reads_years_of_use_in_english_as_an_age_not_a_term() -> None:
    slots = slots_of("a car less than 3 years old")
    assert slots == {"year_min": date.today().year - 3}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("tengo un cuarto de millón", {"max_price": 250000}),
        ("hasta tres cuartos de millón", {"max_price": 750000}),
        ("algo de un millón y cuarto", {"max_price": 1250000}),
        ("doy un cuarto de millón de enganche", {"down_payment": 250000}),
    ],
)
def test_it_reads_fractions_of_a_million_as_amounts(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    "message",
    [
        "¿sigue en 180?",
        "¿todavía lo tienen en 250 mil?",
        "¿lo tienen en 250 mil todavía?",
        "¿sigue costando 300 mil?",
        "la camioneta aún está en 350?",
        "¿aún lo venden en 320 mil?",
        "¿todavía cuesta 199 mil?",
        "¿lo siguen dando en 280?",
        "is it still 180k?",
    ],
)
def test_it_reads_no_budget_from_a_price_asked_again(message: str) -> None:
    assert not {"max_price", "min_price"} & set(slots_of(message))


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("todavía tengo 300 mil", {"max_price": 300000}),
        ("sigo buscando algo en 300", {"max_price": 300000}),
        ("¿siguen teniendo carros en 200?", {"max_price": 200000}),
        ("i still have 300k to spend", {"max_price": 300000}),
        ("¿todavía hay algo de menos de 250 mil?", {"max_price": 250000}),
    ],
)
def test_it_still_reads_a_budget_next_to_words_of_continuation(message: str, expected: dict[str, object]) -> None:
    assert slots_of(message) == expected


@pytest.mark.parametrize(
    ("message", "terms"),
    [
        ("cuanto queda a 36 y a 48 meses", (36, [48])),
        ("a 3 o 4 años cuanto seria la mensualidad", (36, [48])),
        ("plazo de 24, 36 o 48 meses", (24, [36, 48])),
        ("how much at 4 or 5 years", (48, [60])),
    ],
)
def test_it_reads_several_terms_to_compare(message: str, terms: tuple[int, list[int]]) -> None:
    slots = slots_of(message)
    assert (slots["term_months"], slots["other_term_months"]) == terms


def test_it_reads_one_term_without_others() -> None:
    assert "other_term_months" not in slots_of("a 48 meses")


@pytest.mark.parametrize(
    ("message", "share"),
    [
        ("con la mitad de enganche", 0.5),
        ("dando un tercio de entrada", 0.3333),
        ("el enganche sería la cuarta parte", 0.25),
        ("quiero dar la mitad del precio de enganche", 0.5),
        ("half down payment", 0.5),
    ],
)
def test_it_reads_a_down_payment_said_as_a_share_of_the_price(message: str, share: float) -> None:
    assert slots_of(message)["down_payment_pct"] == share


def test_it_reads_no_down_payment_share_from_a_half_said_of_something_else() -> None:
    assert "down_payment_pct" not in slots_of("a la mitad del camino hay una agencia?")


@pytest.mark.parametrize(
    ("message", "budget"),
    [("mejor súbele a 420", 420000), ("bájale a 180 mil", 180000), ("sube el presupuesto hasta 500", 500000)],
)
def test_it_reads_a_moved_budget(message: str, budget: int) -> None:
    assert slots_of(message)["max_price"] == budget


def test_it_reads_a_list_of_car_ages_as_the_oldest_allowed() -> None:
    assert slots_of("algo de 2 o 3 años de uso")["year_min"] == date.today().year - 3


def test_it_reads_a_term_in_years_after_a_make_with_split_model_codes() -> None:
    vocabulary = Vocabulary.from_pairs([("Audi", "A1"), ("Audi", "A3")])
    slots = extract_slots(normalise("el audi a1 cuánto sale al mes a 3 años?"), vocabulary)
    assert (slots["model"], slots["term_months"]) == ("A1", 36)


def test_it_still_reads_a_split_model_code_after_its_make() -> None:
    vocabulary = Vocabulary.from_pairs([("Audi", "A1"), ("Audi", "A3")])
    assert extract_slots(normalise("tienen audi a 3?"), vocabulary)["model"] == "A3"


def test_it_reads_every_make_of_a_search_of_several() -> None:
    slots = slots_of("algo mazda o kia de menos de 300 mil")
    assert (slots["make"], slots["other_makes"]) == ("Mazda", ["KIA"])


def test_it_reads_one_make_for_a_named_model() -> None:
    assert "other_makes" not in slots_of("el kia rio o algo de mazda")


@pytest.mark.parametrize(
    "message", ["una camioneta familiar de 7 lugares", "busco camioneta, familiar para 7 pasajeros"]
)
def test_it_reads_the_body_word_beside_a_family_size(message: str) -> None:
    assert slots_of(message)["body_type"] == "suv"
