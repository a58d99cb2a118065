import pytest

from nlu.normalise import normalise
from nlu.ratings import parse_score


@pytest.mark.parametrize(
    ("text", "scale", "score"),
    [
        ("5", "csat", 5),
        ("le doy un 4", "csat", 4),
        ("cinco estrellas", "csat", 5),
        ("⭐⭐⭐", "csat", 3),
        ("10/10", "nps", 10),
        ("0", "nps", 0),
        ("un nueve", "nps", 9),
        ("8 de 10", "nps", 8),
    ],
)
def test_it_reads_a_score(text, scale, score):
    assert parse_score(normalise(text) if "⭐" not in text else text, scale) == score


@pytest.mark.parametrize(("text", "scale"), [("6", "csat"), ("0", "csat"), ("11", "nps"), ("tienen jetta", "csat")])
def test_it_rejects_what_is_not_a_score_on_the_scale(text, scale):
    assert parse_score(normalise(text), scale) is None
