import pytest
from django.utils import timezone

from conversations.engine.faq_index import get_faq_index
from conversations.models import FAQ
from conversations.services import faqs_set_active
from conversations.tests.factories import AssistantFactory, FAQFactory, OnboardingAssistantFactory
from nlu.faq import CONFIDENCE_THRESHOLD, FaqIndex


def confident_question(index: FaqIndex, text: str) -> str | None:
    match = index.best(text)
    return match.question if match and match.score >= CONFIDENCE_THRESHOLD else None


# --- Per-assistant cache ------------------------------------------------------------------


@pytest.mark.django_db
def test_it_builds_the_assistants_index_from_its_active_faqs_only():
    assistant = OnboardingAssistantFactory()
    FAQFactory(assistant=assistant, question="¿Cuándo me pagan?", answer="Los días 15 y 30.")
    FAQFactory(assistant=assistant, question="¿Hay gimnasio?", answer="No.", is_active=False)
    index = get_faq_index(assistant)
    assert len(index) == 1
    assert index.best("hay gimnasio?") is None


@pytest.mark.django_db
def test_it_reuses_the_index_without_a_query_within_the_recheck_interval(django_assert_num_queries):
    assistant = OnboardingAssistantFactory()
    FAQFactory(assistant=assistant, question="¿Cuándo me pagan?")
    first = get_faq_index(assistant)
    with django_assert_num_queries(0):
        assert get_faq_index(assistant) is first


@pytest.mark.django_db
def test_it_reuses_the_index_after_one_query_when_the_faqs_did_not_change(settings, django_assert_num_queries):
    settings.ENGINE_CACHE_RECHECK_SECONDS = 0
    assistant = OnboardingAssistantFactory()
    FAQFactory(assistant=assistant, question="¿Cuándo me pagan?")
    first = get_faq_index(assistant)
    with django_assert_num_queries(1):
        assert get_faq_index(assistant) is first


@pytest.mark.django_db
def test_it_sees_a_change_made_without_signals_once_the_recheck_interval_passed(settings):
    """Another process's write sends no signal here: the recheck finds it by its fingerprint."""
    settings.ENGINE_CACHE_RECHECK_SECONDS = 0
    assistant = OnboardingAssistantFactory()
    FAQFactory(assistant=assistant, question="¿Hay estacionamiento?")
    get_faq_index(assistant)
    FAQ.objects.filter(assistant=assistant).update(is_active=False, updated_at=timezone.now())
    assert len(get_faq_index(assistant)) == 0


@pytest.mark.django_db
def test_it_rebuilds_the_index_when_faqs_are_deactivated_in_bulk():
    assistant = OnboardingAssistantFactory()
    FAQFactory(assistant=assistant, question="¿Hay estacionamiento?")
    get_faq_index(assistant)
    faqs_set_active(FAQ.objects.filter(assistant=assistant), active=False)
    assert len(get_faq_index(assistant)) == 0


@pytest.mark.django_db
def test_it_rebuilds_the_index_when_a_faq_is_added():
    assistant = OnboardingAssistantFactory()
    FAQFactory(assistant=assistant, question="¿Cuándo me pagan?")
    get_faq_index(assistant)
    FAQFactory(assistant=assistant, question="¿Hay estacionamiento?", answer="Sí, por sorteo.")
    assert confident_question(get_faq_index(assistant), "me dan cajón?") == "¿Hay estacionamiento?"


@pytest.mark.django_db
def test_it_rebuilds_the_index_when_a_faq_is_edited():
    assistant = OnboardingAssistantFactory()
    faq = FAQFactory(assistant=assistant, question="¿Cuándo me pagan?")
    get_faq_index(assistant)
    faq.question = "¿Hay estacionamiento?"
    faq.save()
    assert confident_question(get_faq_index(assistant), "me dan cajón?") == "¿Hay estacionamiento?"


@pytest.mark.django_db
def test_it_rebuilds_the_index_when_a_faq_is_deactivated():
    assistant = OnboardingAssistantFactory()
    faq = FAQFactory(assistant=assistant, question="¿Hay estacionamiento?")
    get_faq_index(assistant)
    faq.is_active = False
    faq.save()
    assert len(get_faq_index(assistant)) == 0


# --- Meaning, as the assistant's pipeline says (nlu/resources/pipelines.yaml) ------------------

TRAVEL = "me voy de viaje con mi familia en julio, cómo reservo los días"


def _pay_and_vacations(assistant):
    pay = "Los días 15 y último de cada mes, en tu cuenta de nómina."
    FAQFactory(assistant=assistant, question="¿En qué fechas se deposita el salario?", answer=pay)
    vacations = "En el portal, con 15 días de anticipación."
    FAQFactory(assistant=assistant, question="¿Cuál es el procedimiento para solicitar vacaciones?", answer=vacations)


@pytest.mark.django_db
def test_it_reads_meaning_in_an_onboarding_assistants_faqs():
    assistant = OnboardingAssistantFactory()
    _pay_and_vacations(assistant)
    assert get_faq_index(assistant).best(TRAVEL).question == "¿Cuál es el procedimiento para solicitar vacaciones?"


@pytest.mark.django_db
def test_it_reads_only_words_in_a_sales_assistants_faqs():
    assistant = AssistantFactory()
    _pay_and_vacations(assistant)
    assert get_faq_index(assistant).best(TRAVEL).question == "¿En qué fechas se deposita el salario?"
