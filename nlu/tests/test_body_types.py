import csv
from pathlib import Path

import pytest

from nlu.body_types import BODY_TYPE_WORDS, compact_key, infer_body_type


@pytest.mark.parametrize(
    ("word", "body_type"),
    [
        ("camioneta", "suv"),
        ("camionetita", "suv"),
        ("suv", "suv"),
        ("crossover", "suv"),
        ("todoterreno", "suv"),
        ("troca", "pickup"),
        ("trocona", "pickup"),
        ("pick up", "pickup"),
        ("pickup", "pickup"),
        ("pick-up", "pickup"),
        ("estaquitas", "pickup"),
        ("van", "minivan"),
        ("minivan", "minivan"),
        ("familiar para 7", "minivan"),
        ("sedan", "sedan"),
        ("hatchback", "hatchback"),
        ("hatch", "hatchback"),
        ("coupe", "coupe"),
        ("deportivo", "coupe"),
        ("cabrio", "coupe"),
        ("roadster", "coupe"),
        ("convertibles", "coupe"),
        ("trucks", "pickup"),
        ("troquitas", "pickup"),
        ("jeepetas", "suv"),
    ],
)
def test_it_maps_what_people_write_to_a_body_type(word: str, body_type: str) -> None:
    assert BODY_TYPE_WORDS[word] == body_type


@pytest.mark.parametrize(
    ("make", "model", "body_type"),
    [
        ("Chevrolet", "Aveo", "sedan"),
        ("Chevrolet", "Onix", "sedan"),
        ("Chevrolet", "Spark", "hatchback"),
        ("Chevrolet", "Tracker", "suv"),
        ("Nissan", "March", "hatchback"),
        ("Nissan", "X-Trail", "suv"),
        ("Nissan", "Frontier", "pickup"),
        ("Nissan", "NP300", "pickup"),
        ("Honda", "Odyssey", "minivan"),
        ("Toyota", "Avanza", "minivan"),
        ("KIA", "Rio", "sedan"),
        ("KIA", "FORTE", "sedan"),
        ("Mazda", "Mazda 3", "sedan"),
        ("Mazda", "CX-5", "suv"),
        ("Volkswagen", "Gol", "hatchback"),
        ("Volkswagen", "T-Cross", "suv"),
        ("BMW", "Serie 1", "hatchback"),
        ("BMW", "Serie 2", "coupe"),
        ("BMW", "X5", "suv"),
        ("Mercedes Benz", "Clase CLA", "sedan"),
        ("Mercedes-Benz", "Clase A", "hatchback"),
        ("Ford", "Figo", "sedan"),
        ("Ford", "Mustang", "coupe"),
        ("Toyota", "Hilux", "pickup"),
        ("Dodge", "Challenger", "coupe"),
        ("Chrysler", "Town & Country", "minivan"),
        ("MG", "MG5", "sedan"),
        ("MG", "Hs", "suv"),
        ("Peugeot", "208", "hatchback"),
        ("JAC", "SEI2", "suv"),
    ],
)
def test_it_knows_the_body_type_of_models_sold_in_mexico(make: str, model: str, body_type: str) -> None:
    assert infer_body_type(make, model) == body_type


@pytest.mark.parametrize(("make", "model"), [("mazda", "3"), ("MAZDA", "mazda3"), ("nissan", "x trail")])
def test_it_matches_models_after_folding_case_hyphens_and_spaces(make: str, model: str) -> None:
    assert infer_body_type(make, model) in {"sedan", "suv"}


def test_it_reads_the_body_from_the_version_of_a_model_sold_in_two() -> None:
    assert infer_body_type("Mazda", "Mazda 3", version="2.5 HATCHBACK I TOURING TA") == "hatchback"


def test_it_ignores_a_version_hint_that_contradicts_an_suv() -> None:
    assert infer_body_type("Mazda", "CX-5", version="2.0 SEDAN") == "suv"


@pytest.mark.parametrize(
    ("height_mm", "length_mm", "body_type"),
    [(1850, 5300, "pickup"), (1700, 4600, "suv"), (1450, 3900, "hatchback"), (1460, 4600, "sedan")],
)
def test_it_falls_back_to_the_dimensions_of_an_unknown_model(height_mm: int, length_mm: int, body_type: str) -> None:
    assert infer_body_type("Marca", "Desconocido", height_mm, length_mm) == body_type


def test_it_does_not_borrow_another_makes_model_for_a_known_make() -> None:
    assert infer_body_type("Toyota", "Versa") == ""


def test_it_cannot_tell_an_unknown_model_without_dimensions() -> None:
    assert infer_body_type("Marca", "Desconocido") == ""


@pytest.mark.parametrize(("name", "key"), [("Mercedes-Benz", "mercedesbenz"), ("CX-5", "cx5"), ("Citroën", "citroen")])
def test_it_compacts_names_to_unaccented_letters_and_digits(name: str, key: str) -> None:
    assert compact_key(name) == key


def test_it_knows_every_model_of_the_kavak_catalog(shared_dir: Path) -> None:
    with (shared_dir / "data" / "kavak_catalog.csv").open(encoding="utf-8") as handle:
        pairs = {(row["make"], row["model"]) for row in csv.DictReader(handle)}
    assert [pair for pair in sorted(pairs) if not infer_body_type(*pair)] == []
