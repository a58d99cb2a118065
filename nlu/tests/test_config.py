import pytest

from nlu.config import kinds, pipeline_config
from nlu.intents import INTENTS
from nlu.language import LanguageDataError


def test_it_declares_a_pipeline_per_assistant_kind():
    assert set(kinds()) == {"sales", "onboarding"}


@pytest.mark.parametrize("kind", ["sales", "onboarding"])
def test_it_declares_only_known_intents(kind):
    assert pipeline_config(kind).intents <= set(INTENTS)


def test_it_reads_a_catalog_only_for_a_sales_assistant():
    assert (pipeline_config("sales").reads_catalog, pipeline_config("onboarding").reads_catalog) == (True, False)


def test_it_refuses_an_undeclared_kind():
    with pytest.raises(LanguageDataError, match="no pipeline"):
        pipeline_config("concierge")


def test_it_reads_meaning_in_faqs_only_where_the_faq_base_is_the_whole_job():
    assert (pipeline_config("sales").faq_reads_meaning, pipeline_config("onboarding").faq_reads_meaning) == (
        False,
        True,
    )
