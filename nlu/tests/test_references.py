import pytest

from nlu.normalise import normalise
from nlu.references import list_position, past_the_list, points_to_the_other, trim_words


@pytest.mark.parametrize("text", ["¿y la otra?", "y el otro cuánto cuesta", "cuánto km tiene la otra?"])
def test_it_reads_a_reference_to_the_other_car(text):
    assert points_to_the_other(normalise(text))


@pytest.mark.parametrize("text", ["tengo otra pregunta", "¿y otra marca?", "hay otra opción de pago?"])
def test_it_reads_no_car_in_other_uses_of_otro(text):
    assert not points_to_the_other(normalise(text))


@pytest.mark.parametrize(
    ("text", "field"),
    [("¿algo más barato?", "price"), ("uno menos caro", "price"), ("¿hay otra más nueva?", "year"), ("hola", None)],
)
def test_it_reads_a_wish_past_the_cars_just_shown(text, field):
    assert past_the_list(normalise(text)) == field


@pytest.mark.parametrize(
    ("text", "words"),
    [("la limited cuanto al mes", {"limited"}), ("y la veloce?", {"veloce"}), ("cuanto al mes el auto", set())],
)
def test_it_reads_the_words_that_may_name_a_trim(text, words):
    found = trim_words(normalise(text))
    assert found >= words and "auto" not in found


@pytest.mark.parametrize(
    ("text", "position"),
    [("¿y la tercera?", 2), ("el último cuánto cuesta", -1), ("what about the second one?", 1)],
)
def test_it_reads_a_position_in_the_last_list(text, position):
    assert list_position(normalise(text)) == position
