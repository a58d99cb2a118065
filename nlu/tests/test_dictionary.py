import logging

import pytest

from nlu import dictionary
from nlu.tests.conftest import DICTIONARY_PATH

needs_dictionary = pytest.mark.skipif(
    not dictionary.Path(f"{DICTIONARY_PATH}.dic").is_file(),
    reason="hunspell-es is not installed (apt-get install hunspell-es)",
)


@needs_dictionary
@pytest.mark.parametrize("word", ["entra", "sedanes", "atras", "ano", "corola", "chido"])
def test_it_knows_a_spanish_word_in_any_form_without_its_accents(word):
    assert dictionary.is_word(word) is True


@needs_dictionary
@pytest.mark.parametrize("word", ["pailot", "foresder", "chevis", "x3"])
def test_it_knows_no_car_name_spelt_by_ear(word):
    assert dictionary.is_word(word) is False


@pytest.fixture
def no_dictionary(tmp_path):
    dictionary.configure(tmp_path / "missing")
    yield
    dictionary.configure(DICTIONARY_PATH)


def test_it_knows_no_word_without_a_dictionary_and_warns_once(no_dictionary, caplog):
    with caplog.at_level(logging.WARNING, logger="nlu.dictionary"):
        assert dictionary.is_word("entra") is False
        assert dictionary.is_word("sale") is False
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1
    assert "apt-get install hunspell-es" in warnings[0]
