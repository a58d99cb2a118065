"""A second lead for the same phone and car is flagged, not recorded twice."""

import pytest

from catalog.tests.factories import VehicleFactory
from conversations.services import handle_turn
from conversations.tests.factories import AssistantFactory
from leads.models import Lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def kvky():
    VehicleFactory(stock_id="1005", make="Volkswagen", model="Jetta", year=2019)
    return AssistantFactory()


def _ask_for_the_jetta(assistant, *, sender, channel, phone=None):
    results = [handle_turn(assistant=assistant, sender=sender, text=text, channel=channel) for text in
               ("hay jetta?", "lo quiero", *([f"es el {phone}"] if phone else []))]  # fmt: skip
    return results[1]


def test_it_answers_the_same_phone_asking_again_elsewhere_with_the_first_lead(kvky):
    first = _ask_for_the_jetta(kvky, sender="whatsapp:+5215512349876", channel="whatsapp")

    second = _ask_for_the_jetta(kvky, sender="+525512349876", channel="api")

    lead = Lead.objects.get()
    assert second.lead == first.lead == {"folio": lead.folio}
    assert lead.requested_again_at is not None


def test_it_flags_a_web_lead_whose_phone_already_asked_for_that_car(kvky):
    first = _ask_for_the_jetta(kvky, sender="whatsapp:+5215512349876", channel="whatsapp")

    second = _ask_for_the_jetta(kvky, sender="web-3f9a", channel="web", phone="55 1234 9876")

    repeat = Lead.objects.get(folio=second.lead["folio"])
    assert repeat.duplicate_of == Lead.objects.get(folio=first.lead["folio"])


def test_it_records_a_lead_for_another_phone_asking_for_the_same_car(kvky):
    _ask_for_the_jetta(kvky, sender="whatsapp:+5215512349876", channel="whatsapp")

    _ask_for_the_jetta(kvky, sender="+525587654321", channel="api")

    assert Lead.objects.count() == 2
    assert not Lead.objects.filter(requested_again_at__isnull=False).exists()
