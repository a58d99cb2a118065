from decimal import Decimal

import pytest

from conversations.models import Assistant
from conversations.selectors import AssistantNotFound, assistant_resolve
from conversations.tests.factories import AssistantFactory, ChannelNumberFactory

pytestmark = pytest.mark.django_db


def test_it_resolves_an_assistant_by_slug_without_a_query_once_cached(django_assert_num_queries) -> None:
    AssistantFactory(slug="kvky")
    assistant_resolve(slug="kvky", to=None)
    with django_assert_num_queries(0):
        assert assistant_resolve(slug="kvky", to=None).slug == "kvky"


def test_it_resolves_an_assistant_by_a_number_added_after_the_cache_was_built() -> None:
    assistant = AssistantFactory(slug="kvky")
    assistant_resolve(slug="kvky", to=None)
    ChannelNumberFactory(assistant=assistant, number="+14155238886")
    assert assistant_resolve(slug=None, to="whatsapp:+1 415 523 8886").slug == "kvky"


def test_it_sees_an_assistant_edited_in_this_process_at_once() -> None:
    assistant = AssistantFactory(slug="kvky")
    assistant_resolve(slug="kvky", to=None)
    assistant.annual_rate = Decimal("0.12")
    assistant.save()
    assert assistant_resolve(slug="kvky", to=None).annual_rate == Decimal("0.12")


def test_it_sees_an_assistant_edited_by_another_process_after_the_recheck_interval(settings) -> None:
    settings.ENGINE_CACHE_RECHECK_SECONDS = 0
    assistant = AssistantFactory(slug="kvky")
    assistant_resolve(slug="kvky", to=None)
    Assistant.objects.filter(pk=assistant.pk).update(name="Otro", updated_at=assistant.updated_at.replace(year=2099))
    assert assistant_resolve(slug="kvky", to=None).name == "Otro"


def test_it_forgets_a_deleted_assistant() -> None:
    assistant = AssistantFactory(slug="kvky")
    assistant_resolve(slug="kvky", to=None)
    assistant.delete()
    with pytest.raises(AssistantNotFound):
        assistant_resolve(slug="kvky", to=None)


def test_it_gives_each_caller_its_own_copy() -> None:
    AssistantFactory(slug="kvky", name="KVKy")
    assistant_resolve(slug="kvky", to=None).name = "Cambiado"
    assert assistant_resolve(slug="kvky", to=None).name == "KVKy"
