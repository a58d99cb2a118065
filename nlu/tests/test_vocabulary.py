import csv
from pathlib import Path

import pytest

from nlu.normalise import normalise
from nlu.tests.kavak_pairs import KAVAK_PAIRS
from nlu.vocabulary import Vocabulary, fold

VOCABULARY = Vocabulary.from_pairs(KAVAK_PAIRS)


def find(message: str):
    return VOCABULARY.find(normalise(message))


@pytest.mark.parametrize(
    ("message", "make"),
    [
        ("¿Tienen Chebys de menos de 300k?", "Chevrolet"),
        ("chevy", "Chevrolet"),
        ("chevys", "Chevrolet"),
        ("chebi", "Chevrolet"),
        ("chevrolé", "Chevrolet"),
        ("chevrole", "Chevrolet"),
        ("chevro", "Chevrolet"),
        ("que chevrolets tienen", "Chevrolet"),
        ("tienen vochos?", "Volkswagen"),
        ("un vochito", "Volkswagen"),
        ("vw", "Volkswagen"),
        ("volks", "Volkswagen"),
        ("wolkswagen", "Volkswagen"),
        ("volkwagen", "Volkswagen"),
        ("merce", "Mercedes Benz"),
        ("mercedes", "Mercedes Benz"),
        ("benz", "Mercedes Benz"),
        ("Mercedes-Benz", "Mercedes Benz"),
        ("mercedes benz", "Mercedes Benz"),
        ("beemer", "BMW"),
        ("nisan", "Nissan"),
        ("toyo", "Toyota"),
        ("toyta", "Toyota"),
        ("masda", "Mazda"),
        ("kia", "KIA"),
        ("que fords tienen", "Ford"),
        ("ola tienen algun jeep", "Jeep"),
        ("hondas", "Honda"),
        ("reno", "Renault"),
        ("pesho", "Peugeot"),
        ("pugeot", "Peugeot"),
        ("land rover", "Land Rover"),
        ("landrover", "Land Rover"),
        ("susuki", "Suzuki"),
        ("seat", "Seat"),
        ("mini", "Mini"),
    ],
)
def test_it_resolves_what_people_call_a_make_to_the_catalog_spelling(message: str, make: str) -> None:
    assert find(message).make == make


def test_it_resolves_vw_to_volkswagen_not_bmw() -> None:
    assert find("tienen algún otro VW?").make == "Volkswagen"


@pytest.mark.parametrize(
    ("message", "make", "model"),
    [
        ("hay onix?", "Chevrolet", "Onix"),
        ("el mazda 3", "Mazda", "Mazda 3"),
        ("el mazda tres", "Mazda", "Mazda 3"),
        ("mazda3", "Mazda", "Mazda 3"),
        ("serie tres", "BMW", "Serie 3"),
        ("la serie 1", "BMW", "Serie 1"),
        ("cx5", "Mazda", "CX-5"),
        ("cx 5", "Mazda", "CX-5"),
        ("cx-5", "Mazda", "CX-5"),
        ("cx cinco", "Mazda", "CX-5"),
        ("t cross", "Volkswagen", "T-Cross"),
        ("tcross", "Volkswagen", "T-Cross"),
        ("xtrail", "Nissan", "X-Trail"),
        ("x trail", "Nissan", "X-Trail"),
        ("el x-trail", "Nissan", "X-Trail"),
        ("el cla", "Mercedes Benz", "Clase CLA"),
        ("clase a", "Mercedes Benz", "Clase A"),
        ("clase c", "Mercedes Benz", "Clase C"),
        ("mg5", "MG", "MG5"),
        ("mg 5", "MG", "MG5"),
        ("mg hs", "MG", "Hs"),
        ("mini cooper", "Mini", "Cooper"),
        ("kia rio", "KIA", "Rio"),
        ("forte", "KIA", "FORTE"),
        ("jeta", "Volkswagen", "Jetta"),
        ("corola", "Toyota", "Corolla"),
        ("tigüan", "Volkswagen", "Tiguan"),
        ("traker", "Chevrolet", "Tracker"),
        ("odisey", "Honda", "Odyssey"),
        ("crv", "Honda", "CR-V"),
        ("cr-v", "Honda", "CR-V"),
        ("rav 4", "Toyota", "RAV4"),
        ("audi a1", "Audi", "A1"),
        ("peugeot 208", "Peugeot", "208"),
        ("fiat uno", "Fiat", "Uno"),
        ("discovery", "Land Rover", "Discovery Sport"),
        ("seat toledo", "Seat", "Toledo"),
        ("tienen wolkswagen jetta?", "Volkswagen", "Jetta"),
    ],
)
def test_it_resolves_a_model_and_the_make_it_implies(message: str, make: str, model: str) -> None:
    mentions = find(message)
    assert (mentions.make, mentions.model) == (make, model)


@pytest.mark.parametrize(
    "message", ["la versa 2020", "tienen versa?", "versa", "el versa", "nissan versa", "una versa modelo 2019"]
)
def test_it_takes_a_model_named_like_a_word_when_a_cue_says_it_is_a_car(message: str) -> None:
    assert find(message).model == "Versa"


@pytest.mark.parametrize(
    "message",
    [
        "me rio mucho",
        "quiero uno",
        "el uno y el otro",
        "el 208",
        "a 1 año",
        "hs",
        "una mini van",
        "los compas",
        "que onda",
        "menos de un mes",
        "versa sobre precios",
    ],
)
def test_it_does_not_take_ordinary_words_for_a_model(message: str) -> None:
    mentions = find(message)
    assert (mentions.make, mentions.model, mentions.unknown_make, mentions.unknown_model) == (None,) * 4


@pytest.mark.parametrize(
    "word",
    [
        "quiero", "carro", "carros", "menos", "mes", "meses", "para", "serie", "clase", "modelo", "version",
        "cuanto", "tiene", "tienen", "precio", "enganche", "mensualidad", "pesos", "peso", "onda", "venta",
        "ventas", "centro", "central", "sentar", "civil", "marcha", "corona", "camara", "camion", "traer",
        "bonito", "vomito", "cierra", "avance", "captura", "lanzar", "maximo", "fiestas", "sierras", "comer",
        "correr", "verla", "compra", "clases", "modelos", "quienes", "senora", "funcion", "transporte",
        "silla", "gracias", "buenas", "ubicados", "sucursal", "kilometros", "automatico", "gasolina",
    ],
)
def test_it_finds_no_car_in_an_ordinary_spanish_word(word: str) -> None:
    mentions = find(word)
    assert (mentions.make, mentions.model, mentions.unknown_make, mentions.unknown_model) == (None,) * 4


def test_it_finds_no_car_in_a_request_for_any_car() -> None:
    mentions = find("quiero un carro que no pase de 200 mil, menos de un mes")
    assert (mentions.make, mentions.model) == (None, None)


@pytest.mark.parametrize(
    ("message", "make"),
    [("tienen tesla?", "Tesla"), ("un ferrari", "Ferrari"), ("porsche", "Porsche"), ("porche", "Porsche"),
     ("hyundai", "Hyundai"), ("hiunday", "Hyundai"), ("mitsubishi", "Mitsubishi")],
)
def test_it_names_a_car_make_the_catalog_lacks(message: str, make: str) -> None:
    mentions = find(message)
    assert (mentions.make, mentions.unknown_make) == (None, make)


def test_it_treats_an_alias_of_a_make_missing_from_the_catalog_as_unknown() -> None:
    vocabulary = Vocabulary.from_pairs([("Nissan", "Versa")])
    mentions = vocabulary.find("tienen vochos")
    assert (mentions.make, mentions.unknown_make) == (None, "Volkswagen")


@pytest.mark.parametrize(
    ("message", "model", "make"),
    [("tienen mustang?", "Mustang", "Ford"), ("ford mustang", "Mustang", "Ford"), ("un tsuru", "Tsuru", "Nissan")],
)
def test_it_names_a_model_sold_in_mexico_the_catalog_lacks(message: str, model: str, make: str) -> None:
    mentions = find(message)
    assert (mentions.model, mentions.unknown_model, mentions.unknown_model_make) == (None, model, make)


def test_it_knows_a_make_of_an_imported_catalog_that_no_alias_lists() -> None:
    vocabulary = Vocabulary.from_pairs([("Zeekr", "001"), ("Nissan", "Versa")])
    assert vocabulary.find("tienen zeekr?").make == "Zeekr"


def test_it_keeps_the_catalog_spelling_of_a_make_and_model() -> None:
    vocabulary = Vocabulary.from_pairs([("Mercedes-Benz", "Clase GLA"), ("KIA", "FORTE")])
    assert (vocabulary.find("un merce gla").make, vocabulary.find("un merce gla").model) == (
        "Mercedes-Benz",
        "Clase GLA",
    )
    assert vocabulary.find("un forte").model == "FORTE"


def test_it_lists_every_make_mentioned_in_order() -> None:
    assert find("tienen chevy o nissan?").makes == ["Chevrolet", "Nissan"]


def test_it_reports_where_a_model_was_found() -> None:
    text = normalise("tienen cx 5 del 2019")
    spans = [span for span in VOCABULARY.find(text).spans if span.kind == "model"]
    assert [(text[span.start : span.end], span.value) for span in spans] == [("cx 5", "CX-5")]


def test_it_lists_makes_sorted() -> None:
    assert VOCABULARY.makes == sorted({make for make, _model in KAVAK_PAIRS}, key=str.casefold)


def test_it_lists_the_models_of_a_make_in_any_spelling() -> None:
    assert VOCABULARY.models_of("mercedes benz") == ["Clase A", "Clase C", "Clase CLA"]


def test_it_lists_no_models_of_an_unknown_make() -> None:
    assert VOCABULARY.models_of("Tesla") == []


def test_it_suggests_premium_makes_for_an_unknown_premium_make() -> None:
    suggestions = VOCABULARY.closest("tienen tesla?")
    assert suggestions and all(model is None for _make, model in suggestions)
    premium = {"Audi", "BMW", "Infiniti", "Land Rover", "Lincoln", "Mercedes Benz", "Mini", "Volvo"}
    assert {make for make, _model in suggestions} <= premium


def test_it_suggests_the_same_body_type_then_the_same_make_for_a_missing_model() -> None:
    suggestions = VOCABULARY.closest("tienen ford mustang?", limit=3)
    assert suggestions == [("BMW", "Serie 2"), ("Ford", "EcoSport"), ("Ford", "Escape")]


def test_it_suggests_the_same_make_first_when_it_has_the_same_body_type() -> None:
    suggestions = VOCABULARY.closest("tienen un nissan tsuru?", limit=2)
    assert suggestions == [("Nissan", "Altima"), ("Nissan", "Sentra")]


def test_it_suggests_the_model_a_typo_stands_for() -> None:
    assert VOCABULARY.closest("jeta") == [("Volkswagen", "Jetta")]


def test_it_suggests_by_spelling_when_nothing_is_recognised() -> None:
    assert ("Nissan", "Sentra") in VOCABULARY.closest("sentrax", limit=3)


def test_it_suggests_nothing_for_a_message_without_names() -> None:
    assert VOCABULARY.closest("hola que tal") == []


@pytest.mark.parametrize(("spelling", "other"), [("chebys", "chevy"), ("vochos", "bocho"), ("masda", "mazda")])
def test_it_folds_spanish_spelling_variants_together(spelling: str, other: str) -> None:
    assert fold(spelling) == fold(other)


def test_it_mirrors_the_make_model_pairs_of_the_kavak_catalog(shared_dir: Path) -> None:
    with (shared_dir / "data" / "kavak_catalog.csv").open(encoding="utf-8") as handle:
        pairs = {(row["make"], row["model"]) for row in csv.DictReader(handle)}
    assert sorted(pairs) == KAVAK_PAIRS


@pytest.mark.parametrize(
    ("message", "make"),
    [
        ("que kias tienes disponibles", "KIA"),
        ("bmws?", "BMW"),
        ("audis", "Audi"),
        ("nissans automaticos", "Nissan"),
        ("quiero ver mazdas", "Mazda"),
        ("las hondas", "Honda"),
        ("que fords tienen", "Ford"),
        ("los jeeps q tengan", "Jeep"),
        ("chevys", "Chevrolet"),
        ("vochos", "Volkswagen"),
        ("toyotas del 2020", "Toyota"),
    ],
)
def test_it_resolves_a_make_in_the_plural(message: str, make: str) -> None:
    assert find(message).make == make


@pytest.mark.parametrize(
    ("message", "model"),
    [("jettas", "Jetta"), ("sentras baratos", "Sentra"), ("tienen mazdas 3?", "Mazda 3"), ("las series 3", "Serie 3")],
)
def test_it_resolves_a_model_in_the_plural(message: str, model: str) -> None:
    assert find(message).model == model


CUE_GATED = Vocabulary.from_pairs(
    [("Honda", "City"), ("Honda", "Fit"), ("KIA", "Rio"), ("Ford", "Escape"), ("Ford", "Lobo"), ("Seat", "León"),
     ("Renault", "Logan"), ("Volkswagen", "Polo"), ("Nissan", "Versa")]
)


@pytest.mark.parametrize(
    ("message", "model"),
    [
        ("y el city con lo mismo?", "City"),
        ("la city", "City"),
        ("un city", "City"),
        ("honda city", "City"),
        ("city 2021", "City"),
        ("el fit", "Fit"),
        ("un fit 2015", "Fit"),
        ("busco un rio", "Rio"),
        ("la escape", "Escape"),
        ("una lobo doble cabina", "Lobo"),
        ("el leon", "León"),
        ("algo tipo logan", "Logan"),
        ("otro polo", "Polo"),
        ("la versa", "Versa"),
        ("the escape, does it have carplay?", "Escape"),
    ],
)
def test_it_takes_a_model_named_like_a_word_after_an_article_or_cue(message: str, model: str) -> None:
    assert CUE_GATED.find(normalise(message)).model == model


@pytest.mark.parametrize(
    "message",
    ["vivo en la city", "soy de la city", "por la city no hay", "me rio mucho",
     "estoy fit", "versa sobre precios", "de la sierra"],
)
def test_it_does_not_take_a_word_or_a_place_for_a_model(message: str) -> None:
    mentions = CUE_GATED.find(normalise(message))
    assert (mentions.make, mentions.model, mentions.unknown_model) == (None, None, None)


GENERIC_NAMES = Vocabulary.from_pairs(
    [("Mercedes Benz", "Clase C Coupé"), ("Land Rover", "Range Rover Sport"), ("Nissan", "V-Drive"),
     ("Mazda", "Mazda 3 Sedan"), ("BMW", "Serie 4 Cabrio"), ("Volkswagen", "Cross Sport")]
)


@pytest.mark.parametrize(
    "message",
    ["algo deportivo, coupé", "un coupe", "un sedan", "algo tipo cabrio", "quiero hacer un test drive", "algo sport",
     "una clase", "la serie", "un rover"],
)
def test_it_never_names_a_model_by_a_generic_word_of_its_name(message: str) -> None:
    assert GENERIC_NAMES.find(normalise(message)).model is None


@pytest.mark.parametrize(
    ("message", "model"),
    [("mercedes clase c coupe", "Clase C Coupé"), ("range rover sport", "Range Rover Sport"),
     ("nissan v-drive", "V-Drive"), ("serie 4 cabrio", "Serie 4 Cabrio")],
)
def test_it_still_names_a_model_by_its_full_name(message: str, model: str) -> None:
    assert GENERIC_NAMES.find(normalise(message)).model == model


def test_it_takes_the_vento_without_a_cue() -> None:
    assert find("hola quiero vento del 2020").model == "Vento"


# --- A catalog nobody tuned the aliases for: names written by ear, codes split, trims left out ---------------

UNTUNED = Vocabulary.from_pairs(
    [("Chery", "Tiggo 4 Pro"), ("Chery", "Tiggo 7 Pro"), ("Chery", "Tiggo 7 Pro Max"), ("Chery", "Arrizo 8"),
     ("BYD", "Seagull"), ("BYD", "Han EV"), ("BYD", "Dolphin Mini"), ("Hyundai", "Ioniq 5"), ("Hyundai", "HB20 Sedan"),
     ("Hyundai", "Grand i10 Hatchback"), ("Mitsubishi", "L200 Katana"), ("Mitsubishi", "Eclipse Cross"),
     ("Mitsubishi", "Montero Sport"), ("Changan", "UNI-T"), ("Changan", "CS55 Plus"), ("Changan", "Hunter Pickup"),
     ("GWM", "Haval Jolion"), ("GWM", "Haval H6"), ("GWM", "Poer Cargo"), ("Geely", "Coolray Sport"),
     ("Geely", "Okavango"), ("Subaru", "Impreza"), ("Subaru", "Crosstrek"), ("Subaru", "Outback Wilderness"),
     ("Cupra", "Terramar"), ("Cupra", "Ateca"), ("Porsche", "Cayenne Coupé"), ("Porsche", "Panamera 4"),
     ("Alfa Romeo", "Stelvio Veloce"), ("Alfa Romeo", "Giulia Quadrifoglio"), ("Alfa Romeo", "Junior")]
)


def untuned(message: str):
    return UNTUNED.find(normalise(message))


@pytest.mark.parametrize(
    ("message", "make"),
    [
        ("tienen jiunday?", "Hyundai"), ("un yundai del 2021", "Hyundai"), ("busco algo llundai", "Hyundai"),
        ("me gusta la marca jiundái", "Hyundai"), ("mitsubichi", "Mitsubishi"), ("una mitzubisi", "Mitsubishi"),
        ("suvaru usado", "Subaru"), ("zubaru", "Subaru"), ("porshe", "Porsche"), ("un porsh e", "Porsche"),
        ("kupra", "Cupra"), ("qupra seminuevo", "Cupra"), ("cheri", "Chery"), ("yili", "Geely"),
        ("jili en oferta", "Geely"),
        ("chirey", "Chery"), ("algo de chang an", "Changan"), ("chanjan", "Changan"),
    ],
)
def test_it_resolves_a_make_spelled_by_ear_to_the_catalog_spelling(message: str, make: str) -> None:
    assert untuned(message).make == make


def test_it_takes_every_alias_of_a_make_for_the_catalog_spelling_of_it() -> None:
    # The catalog says "Chery": "chirey", the name it is sold under in Mexico, is that make, not one it lacks.
    mentions = untuned("tienen chirey?")
    assert (mentions.make, mentions.unknown_make) == ("Chery", None)


@pytest.mark.parametrize(
    ("message", "model"),
    [
        ("la okabango", "Okavango"), ("un okavango 2023", "Okavango"), ("busco crostrek", "Crosstrek"),
        ("la ateka", "Ateca"), ("imprezza 2019", "Impreza"), ("la terramar", "Terramar"),
        ("una cayen", "Cayenne Coupé"), ("estelvio", "Stelvio Veloce"), ("la yolion", "Haval Jolion"),
        ("el jolion", "Haval Jolion"), ("el seagul", "Seagull"),
    ],
)
def test_it_resolves_a_model_spelled_by_ear(message: str, model: str) -> None:
    assert untuned(message).model == model


@pytest.mark.parametrize(
    ("message", "model"),
    [
        ("la l 200", "L200 Katana"), ("l-200 doble cabina", "L200 Katana"), ("una l200", "L200 Katana"),
        ("cs 55", "CS55 Plus"), ("la cs-55", "CS55 Plus"), ("hb 20", "HB20 Sedan"), ("el hb20", "HB20 Sedan"),
        ("i 10", "Grand i10 Hatchback"), ("un i10", "Grand i10 Hatchback"), ("grand i 10", "Grand i10 Hatchback"),
        ("la uni t", "UNI-T"), ("unit", "UNI-T"), ("ioniq5", "Ioniq 5"), ("panamera 4", "Panamera 4"),
    ],
)
def test_it_resolves_a_model_code_written_with_or_without_a_space_or_dash(message: str, model: str) -> None:
    assert untuned(message).model == model


@pytest.mark.parametrize(
    ("message", "model"),
    [
        ("tiggo 4", "Tiggo 4 Pro"), ("el tigo 4", "Tiggo 4 Pro"), ("arrizo", "Arrizo 8"), ("la han", None),
        ("byd han", "Han EV"), ("una hunter", "Hunter Pickup"), ("la montero", "Montero Sport"),
        ("la outback", "Outback Wilderness"), ("una coolray", "Coolray Sport"), ("la culrey", "Coolray Sport"),
        ("una poer", "Poer Cargo"), ("el dolphin", "Dolphin Mini"), ("la eclipse", "Eclipse Cross"),
        ("alfa romeo giulia", "Giulia Quadrifoglio"),
    ],
)
def test_it_resolves_a_model_named_without_its_trim_when_one_catalog_model_has_that_name(
    message: str, model: str | None
) -> None:
    assert untuned(message).model == model


@pytest.mark.parametrize("message", ["tiggo 7", "la tigo 7", "chery tiggo siete", "una tiggo"])
def test_it_lists_the_models_that_share_a_name_without_choosing_one(message: str) -> None:
    mentions = untuned(message)
    expected = {("Chery", "Tiggo 7 Pro"), ("Chery", "Tiggo 7 Pro Max")}
    if "7" not in message and "siete" not in message:
        expected.add(("Chery", "Tiggo 4 Pro"))
    assert (mentions.make, mentions.model) == ("Chery", None)
    assert set(mentions.model_candidates) == expected and mentions.family


def test_it_names_the_family_in_the_catalog_spelling() -> None:
    assert untuned("tienen tiggo 7?").family == "Tiggo 7"


def test_it_prefers_a_model_the_message_names_fully_over_its_family() -> None:
    mentions = untuned("la tiggo 7 pro max")
    assert (mentions.model, mentions.model_candidates) == ("Tiggo 7 Pro Max", [])


def test_it_takes_a_catalog_model_named_like_a_make_the_catalog_lacks() -> None:
    # "haval" names two GWM models here, not the make Haval the catalog does not list.
    mentions = untuned("tienen haval?")
    assert (mentions.make, mentions.unknown_make, mentions.family) == ("GWM", None, "Haval")


def test_it_joins_a_letter_that_is_a_word_to_a_number_only_with_the_make() -> None:
    vocabulary = Vocabulary.from_pairs([("Changan", "E 07"), ("Changan", "Alsvin")])
    assert vocabulary.find(normalise("pago en 5 meses o a 1 año")).model is None
    assert vocabulary.find(normalise("el changan e 07")).model == "E 07"


@pytest.mark.parametrize("make", ["Hyundai", "Mitsubishi", "Subaru", "Porsche", "Geely"])
def test_it_never_resolves_a_misspelling_to_a_make_the_catalog_lacks(make: str) -> None:
    vocabulary = Vocabulary.from_pairs([("Chery", "Tiggo 4 Pro"), ("BYD", "Seagull")])
    for spelling in ("jiunday", "mitsubichi", "zubaru", "porshe", "yili"):
        assert vocabulary.find(normalise(spelling)).make is None


def test_it_never_resolves_a_misspelling_to_a_model_the_catalog_lacks() -> None:
    vocabulary = Vocabulary.from_pairs([("Subaru", "Forester"), ("Cupra", "Formentor")])
    for message in ("la okabango", "tiggo 4", "cs 55", "l 200", "la culrey", "la ateka"):
        mentions = vocabulary.find(normalise(message))
        assert (mentions.model, mentions.family) == (None, None), message


@pytest.mark.parametrize(
    "message",
    [
        "la cajera me dijo que junten los papeles y me duele la cadera",
        "quiero juntar el enganche, expandir el plazo y no andar de casera",
        "la carrera de mi hija es en junio, por eso la cartera está vacía",
        "el fermento de la fiesta, una impresión de la geometría del terreno",
        "mi tío es de zacatecas; jala la puerta y haz la cuenta, ya se cayó la lana",
        "hola buenas tardes, me interesa saber cuánto pagaría al mes con un enganche chico",
        "ando juntando para algo económico, yo llego a las ocho, ahorita junto",
        "ilumina la tonalidad, la salsa de la yunta y el vino de la tía",
    ],
)
def test_it_finds_no_car_in_a_sentence_of_everyday_words(message: str) -> None:
    mentions = untuned(message)
    assert (mentions.make, mentions.model, mentions.family, mentions.unknown_make) == (None,) * 4


@pytest.mark.parametrize(
    ("spelling", "other"),
    [("hyundai", "jiunday"), ("hyundai", "llundai"), ("porsche", "porche"), ("mitsubishi", "mitsubichi"),
     ("geely", "yili"), ("coolray", "culrai"), ("stelvio", "estelvio"), ("xpander", "expander"),
     ("wagon", "guagon"), ("haval", "jabal")],
)
def test_it_folds_foreign_names_written_by_ear_together(spelling: str, other: str) -> None:
    assert fold(spelling) == fold(other)


@pytest.mark.parametrize("message", ["la grand cherokee", "grand cherokee 2020", "una cherokee"])
def test_it_folds_a_name_ending_in_a_double_vowel_as_normalise_leaves_it(message: str) -> None:
    vocabulary = Vocabulary.from_pairs([("Jeep", "Grand Cherokee"), ("Renault", "Kangoo")])
    assert vocabulary.find(normalise(message)).model == "Grand Cherokee"


# A dealer's catalog nobody wrote aliases for: names spelt by ear are read by their consonants (skeleton_steps).
BY_EAR = Vocabulary.from_pairs(
    [
        ("Subaru", "Forester"),
        ("Nissan", "Pathfinder"),
        ("Nissan", "Sentra"),
        ("Honda", "Pilot"),
        ("Jeep", "Wrangler"),
        ("Toyota", "Prius"),
        ("Chevrolet", "Captiva"),
        ("Alfa Romeo", "Giulia"),
        ("Jeep", "Grand Cherokee"),
        ("Nissan", "Kicks"),
        ("Lexus", "ES"),
    ]
)


def find_by_ear(message: str):
    mentions = BY_EAR.find(normalise(message))
    return mentions.make, mentions.model


@pytest.mark.parametrize(
    ("message", "model"),
    [
        ("tienen la patfainder?", "Pathfinder"),
        ("una pailot 2019", "Pilot"),
        ("busco foresder", "Forester"),
        ("un rengler rubicon", "Wrangler"),
    ],
)
def test_it_reads_a_model_spelt_by_ear_by_its_consonants(message, model):
    assert find_by_ear(message)[1] == model


@pytest.mark.parametrize("message", ["si entra en mi cochera", "cuanto cuesta el precio final"])
def test_it_reads_no_spanish_word_as_a_model_by_its_sound(message):
    assert find_by_ear(message) == (None, None)


def test_it_reads_a_spanish_word_right_after_its_make_as_the_makes_model_it_resembles():
    assert find_by_ear("la chevrolet cautiva 2015") == ("Chevrolet", "Captiva")


def test_it_reads_a_make_of_two_words_misspelt_in_the_second():
    assert find_by_ear("tienen alfa romeu?")[0] == "Alfa Romeo"


def test_it_reads_a_misspelt_later_word_of_a_name_after_its_first_word():
    assert find_by_ear("tienen gran cheroqui?") == ("Jeep", "Grand Cherokee")


def test_it_reads_a_short_name_right_after_its_make_as_the_makes_model_it_resembles():
    assert find_by_ear("la nisan kicx") == ("Nissan", "Kicks")


def test_it_reads_a_short_make_with_one_letter_wrong():
    assert find_by_ear("tienen lexsus?")[0] == "Lexus"


@pytest.mark.parametrize(
    ("message", "model"),
    [
        ("tienes eclips cros?", "Eclipse Cross"),
        ("la ecplise cross 2020 sigue en 390?", "Eclipse Cross"),
        ("una montero esport", "Montero Sport"),
        ("outbak wildernes", "Outback Wilderness"),
    ],
)
def test_it_reads_a_name_of_two_words_both_misspelt(message, model):
    assert untuned(message).model == model


def test_it_reads_no_model_in_two_ordinary_words():
    assert untuned("el monte rosa está lejos").model is None


def test_it_stems_the_thesaurus_headwords_at_warm_up() -> None:
    from nlu import pipeline, thesaurus, vocabulary

    words = thesaurus.get_thesaurus(vocabulary.plain_fold)
    if words is None:
        pytest.skip("no thesaurus configured")
    vocabulary._headword_stems.cache_clear()
    pipeline.warm_up()
    assert vocabulary._headword_stems.cache_info().currsize == 1
