"""A customer's stated name, read from the message as typed."""

import pytest

from nlu.names import stated_name, without_stated_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("me llamo Juan Pérez", "Juan Pérez"),
        ("hola, me llamo juan pérez y busco un aveo", "Juan Pérez"),
        ("soy Ana", "Ana"),
        ("hola soy luis garcía, quiero el jetta", "Luis García"),
        ("mi nombre es María de la Luz", "María de la Luz"),
        ("YO SOY PEDRO", "Pedro"),
        ("buenas tardes, habla Mariana del Valle", "Mariana del Valle"),
        ("lo quiero, soy Jorge y mi tel es 5512345678", "Jorge"),
    ],
)
def test_it_reads_the_name_a_customer_states(text, name):
    assert stated_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "soy de Monterrey",
        "soy nuevo, ¿cómo funciona?",
        "me llamo",
        "quiero saber si soy elegible",
        "¿habla inglés?",
        "a nombre de mi esposa",
        "busco un Aveo 2020",
    ],
)
def test_it_reads_no_name_where_none_is_stated(text):
    assert stated_name(text) is None


def test_it_keeps_the_customers_own_capitals():
    assert stated_name("me llamo Ana McAllister") == "Ana McAllister"


def test_it_leaves_the_rest_of_the_message_to_read():
    assert without_stated_name("me llamo Ana y busco un Aveo") == "y busco un Aveo"
