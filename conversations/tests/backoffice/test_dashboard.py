"""The staff dashboard: KPIs over a date range, for the assistants the user's role covers, drawn as SVG."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.backoffice.charts import bar_chart, column_chart
from conversations.backoffice.dashboard import DateRange, dashboard_kpis
from conversations.models import Conversation, Message, MessageRole
from conversations.tests.factories import ConversationFactory, MessageFactory
from leads.models import Lead, LeadStatus
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)
WEEK = DateRange(DAY - dt.timedelta(days=6), DAY)


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _message(conversation: Conversation, day: dt.date, **fields) -> Message:
    message = MessageFactory(conversation=conversation, **fields)
    Message.objects.filter(pk=message.pk).update(created_at=_at(day))
    return message


def _lead(conversation: Conversation, day: dt.date, status: str = LeadStatus.NEW) -> Lead:
    lead = LeadFactory(assistant=conversation.assistant, conversation=conversation, status=status)
    Lead.objects.filter(pk=lead.pk).update(created_at=_at(day))
    return lead


@pytest.fixture
def sales_week(kvky) -> list[Conversation]:
    """Three sales conversations in the week: one got plans, one a lead, one only greeted; one outside it."""
    planned, with_lead, greeted, earlier = (ConversationFactory(assistant=kvky) for _ in range(4))
    _message(planned, DAY, intent="financing")
    _message(planned, DAY, role=MessageRole.BOT, intent="financing", payload={"financing": [{"term_months": 48}]})
    _message(with_lead, DAY - dt.timedelta(days=1), intent="create_lead")
    _lead(with_lead, DAY - dt.timedelta(days=1), LeadStatus.CONTACTED)
    _message(greeted, DAY - dt.timedelta(days=1), intent="greet")
    _message(greeted, DAY - dt.timedelta(days=1), intent="greet")
    _message(earlier, DAY - dt.timedelta(days=30), intent="greet")
    Conversation.objects.filter(pk=planned.pk).update(csat_score=5, nps_score=10)
    Conversation.objects.filter(pk=greeted.pk).update(csat_score=2, nps_score=3, handoff=True, handoff_at=_at(DAY))
    return [planned, with_lead, greeted, earlier]


def test_it_counts_the_conversations_active_in_the_range(kvky, sales_week):
    kpis = dashboard_kpis(kinds=["sales"], date_range=WEEK)

    assert kpis.conversations == 3
    assert kpis.conversations_per_day[-2:] == [(DAY - dt.timedelta(days=1), 2), (DAY, 1)]
    assert len(kpis.conversations_per_day) == 7


def test_it_counts_customer_turns_by_intent(kvky, sales_week):
    kpis = dashboard_kpis(kinds=["sales"], date_range=WEEK)

    assert kpis.intents == [("greet", 2), ("create_lead", 1), ("financing", 1)]
    assert kpis.customer_messages == 4
    assert kpis.interactions_per_session == Decimal("1.3")


def test_it_counts_conversion_as_a_plan_or_a_lead(kvky, sales_week):
    kpis = dashboard_kpis(kinds=["sales"], date_range=WEEK)

    assert kpis.converted == 2
    assert kpis.conversion_rate == Decimal("66.7")


def test_it_counts_leads_by_status_in_workflow_order(kvky, sales_week):
    kpis = dashboard_kpis(kinds=["sales"], date_range=WEEK)

    assert kpis.leads == 1
    assert kpis.leads_by_status[:2] == [("Nuevo", 0), ("Contactado", 1)]


def test_it_summarises_csat_and_nps(kvky, sales_week):
    kpis = dashboard_kpis(kinds=["sales"], date_range=WEEK)

    assert (kpis.csat.responses, kpis.csat.average, kpis.csat.satisfied) == (2, Decimal("3.50"), Decimal("50.0"))
    assert (kpis.nps.promoters, kpis.nps.detractors, kpis.nps.score) == (1, 1, 0)


def test_it_counts_handoffs_in_the_range_and_those_waiting(kvky, sales_week):
    kpis = dashboard_kpis(kinds=["sales"], date_range=WEEK)

    assert (kpis.handoffs, kpis.waiting) == (1, 1)


def test_it_leaves_out_the_assistants_of_other_roles(kvky, blinky, sales_week):
    _message(ConversationFactory(assistant=blinky), DAY, intent="faq")

    kpis = dashboard_kpis(kinds=["onboarding"], date_range=WEEK)

    assert (kpis.conversations, kpis.leads, kpis.intents) == (1, 0, [("faq", 1)])


def test_it_renders_the_dashboard_charts_as_inline_svg(sales_client, kvky, sales_week):
    page = sales_client.get(reverse("backoffice-dashboard"), {"start": WEEK.start, "end": WEEK.end})

    assert page.status_code == 200
    assert page.text.count('<svg class="chart"') == 5
    assert "<script" not in page.text.split('id="content"')[1]


def test_it_hides_the_lead_numbers_from_hr_staff(hr_client, blinky):
    page = hr_client.get(reverse("backoffice-dashboard"))

    assert page.status_code == 200
    assert "Prospectos por estado" not in page.text


def test_it_refuses_the_dashboard_to_staff_without_a_role_permission(db):
    from conversations.tests.backoffice.users import StaffUserFactory, logged_in

    assert logged_in(StaffUserFactory(username="nadie")).get(reverse("backoffice-dashboard")).status_code == 403


def test_it_reports_an_upside_down_date_range(sales_client):
    page = sales_client.get(reverse("backoffice-dashboard"), {"start": "2026-03-10", "end": "2026-03-01"})

    assert "La fecha inicial debe ser anterior" in page.text


def test_it_escapes_chart_labels():
    svg = bar_chart([("<script>alert(1)</script>", 3)], title="t")

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_it_draws_one_bar_per_day():
    svg = column_chart([("01/03", 1), ("02/03", 0), ("03/03", 4)], title="Conversaciones por día")

    assert svg.count('<rect class="chart-bar"') == 3


def test_it_says_there_is_no_data_instead_of_an_empty_chart():
    assert "Sin datos" in column_chart([("01/03", 0)], title="t")
