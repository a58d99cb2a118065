import pytest

from nlu.acts import ACTS, read_acts
from nlu.normalise import normalise


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("¿y si trabajo remoto?", "puts_a_case"),
        ("¿cómo las pido?", "refers_back"),
        ("¿qué tasa manejan?", "asks_terms"),
        ("¿con el enganche mínimo?", "wants_minimum_down_payment"),
        ("ok entonces al máximo que se pueda", "wants_longest_term"),
        ("¿y al plazo más largo?", "wants_longest_term"),
        ("¿cuánto necesito de enganche?", "asks_minimum"),
        ("quiero apartarlo", "points_at_a_car"),
        ("ok gracias, ya me voy, bye", "takes_leave"),
        ("sí, gracias", "says_yes"),
        ("¿y hatchbacks por la misma lana?", "keeps_the_price"),
    ],
)
def test_it_reads_each_act(text, act):
    assert read_acts(normalise(text))[act] is True


def test_it_reads_no_act_in_a_plain_search():
    assert read_acts(normalise("busco una camioneta de menos de 300 mil")) == dict.fromkeys(ACTS, False)


def test_it_puts_a_case_only_at_the_start():
    assert read_acts(normalise("no sé si trabajo remoto"))["puts_a_case"] is False


def test_it_reads_no_yes_in_an_acknowledgement():
    assert read_acts(normalise("ok, mil gracias"))["says_yes"] is False


def test_it_does_not_keep_the_price_when_asked_for_one():
    assert read_acts(normalise("¿cuál es el precio de ese?"))["keeps_the_price"] is False


def test_it_reads_no_longest_term_in_the_most_down_payment():
    assert read_acts(normalise("¿y dando el máximo de enganche?"))["wants_longest_term"] is False
