"""The lead workflow in services: what each step needs, its history, the car it holds, sells or lets go."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from catalog.models import Availability
from catalog.tests.factories import VehicleFactory
from conversations.tests.backoffice.users import sales_manager
from conversations.tests.factories import AssistantFactory
from leads.admin import event_line
from leads.models import Lead, LeadStatus, LostReason
from leads.services import lead_update, leads_release_expired_holds
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db
VISIT = datetime(2026, 12, 5, 10, 30, tzinfo=ZoneInfo("America/Mexico_City"))


@pytest.fixture
def car():
    return VehicleFactory()


def test_it_needs_a_date_to_schedule_a_visit():
    lead = LeadFactory(status=LeadStatus.CONTACTED)

    with pytest.raises(ValidationError) as error:
        lead_update(lead, status=LeadStatus.VISIT_SCHEDULED)

    assert "visit_at" in error.value.message_dict
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.CONTACTED


def test_it_needs_a_reason_to_lose_a_lead():
    lead = LeadFactory(status=LeadStatus.NEW)

    with pytest.raises(ValidationError) as error:
        lead_update(lead, status=LeadStatus.LOST)

    assert "lost_reason" in error.value.message_dict


def test_it_records_who_changed_the_status_and_when():
    ana = sales_manager()
    ana.first_name = "Ana"
    ana.save()
    lead = LeadFactory(status=LeadStatus.NEW)

    lead_update(lead, by=ana, status=LeadStatus.CONTACTED)

    [event] = lead.events.all()
    event.at = datetime(2026, 12, 1, 10, 42, tzinfo=ZoneInfo("America/Mexico_City"))
    assert event_line(event) == "estado: nuevo → contactado (Ana, 1 dic 10:42)"


def test_it_records_a_new_salesperson_in_the_history():
    lead = LeadFactory()
    seller = sales_manager()

    lead_update(lead, assigned_to=seller)

    assert [(event.field, event.old, event.new) for event in lead.events.all()] == [
        ("assigned_to", "nadie", seller.get_username())
    ]


def test_it_marks_the_car_of_a_won_lead_sold(car):
    lead = LeadFactory(status=LeadStatus.VISIT_SCHEDULED, visit_at=VISIT, vehicle=car)

    lead_update(lead, status=LeadStatus.WON)

    car.refresh_from_db()
    assert car.status == Availability.SOLD


def test_it_holds_the_car_for_the_assistants_hold_period_once_staff_take_the_lead_up(car):
    lead = LeadFactory(assistant=AssistantFactory(lead_hold_hours=48), vehicle=car)

    lead_update(lead, status=LeadStatus.CONTACTED)

    car.refresh_from_db()
    assert car.status == Availability.RESERVED
    assert abs(lead.hold_until - timezone.now() - timedelta(hours=48)) < timedelta(minutes=1)


def test_it_offers_the_car_again_when_the_hold_is_over(car):
    lead = LeadFactory(vehicle=car)
    lead_update(lead, status=LeadStatus.CONTACTED)

    released = leads_release_expired_holds(now=lead.hold_until + timedelta(seconds=1))

    car.refresh_from_db()
    assert (released, car.status) == (1, Availability.AVAILABLE)
    assert Lead.objects.get(pk=lead.pk).hold_until is None


def test_it_keeps_the_car_held_before_the_hold_is_over(car):
    lead = LeadFactory(vehicle=car)
    lead_update(lead, status=LeadStatus.CONTACTED)

    assert leads_release_expired_holds(now=lead.hold_until - timedelta(minutes=1)) == 0
    car.refresh_from_db()
    assert car.status == Availability.RESERVED


def test_it_lets_the_car_go_when_its_lead_is_lost(car):
    lead = LeadFactory(vehicle=car)
    lead_update(lead, status=LeadStatus.CONTACTED)

    lead_update(lead, status=LeadStatus.LOST, lost_reason=LostReason.PRICE)

    car.refresh_from_db()
    assert car.status == Availability.AVAILABLE


def test_it_sweeps_expired_holds_from_the_command(car, capsys):
    lead = LeadFactory(vehicle=car)
    lead_update(lead, status=LeadStatus.CONTACTED)
    Lead.objects.filter(pk=lead.pk).update(hold_until=timezone.now() - timedelta(minutes=1))

    call_command("release_expired_holds")

    car.refresh_from_db()
    assert car.status == Availability.AVAILABLE
    assert "1 autos" in capsys.readouterr().out


def test_it_normalises_a_phone_staff_write_and_copies_it_to_the_conversation():
    lead = LeadFactory(customer_phone="")

    lead_update(lead, customer_name="Juan Pérez", customer_phone="55 1234 9876")

    lead.conversation.refresh_from_db()
    assert (lead.customer_phone, lead.conversation.customer_phone) == ("+525512349876", "+525512349876")
    assert lead.conversation.display_name == "Juan Pérez"
