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


def test_it_counts_conversion_as_the_conversations_with_a_lead(kvky, sales_week):
    sales = dashboard_kpis(kinds=["sales"], date_range=WEEK).sales

    assert (sales.with_lead, sales.conversations) == (1, 3)
    assert sales.conversion_rate == Decimal("33.3")


def test_it_counts_leads_by_status_in_workflow_order(kvky, sales_week):
    sales = dashboard_kpis(kinds=["sales"], date_range=WEEK).sales

    assert sales.leads == 1
    assert sales.leads_by_status[:2] == [("Nuevo", 0), ("Contactado", 1)]


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

    assert (kpis.conversations, kpis.sales, kpis.intents) == (1, None, [("faq", 1)])


def test_it_renders_the_dashboard_charts_as_inline_svg(sales_client, kvky, sales_week):
    page = sales_client.get(reverse("backoffice-dashboard"), {"start": WEEK.start, "end": WEEK.end})

    assert page.status_code == 200
    assert page.text.count('<svg class="chart"') == 6  # makes and models: no data, no chart
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


def test_it_counts_the_sales_funnel_with_shares_of_all_conversations(kvky, sales_week):
    planned, with_lead, _greeted, _earlier = sales_week
    _message(planned, DAY, role=MessageRole.BOT, intent="search_vehicles", payload={"vehicles": [{"stock_id": 1}]})
    _message(with_lead, DAY, role=MessageRole.BOT, intent="search_vehicles")
    _lead(planned, DAY, LeadStatus.WON)

    funnel = dashboard_kpis(kinds=["sales"], date_range=WEEK).sales.funnel

    assert [(step.label, step.conversations, step.share) for step in funnel] == [
        ("Conversaciones", 3, Decimal("100.0")),
        ("Buscaron autos", 2, Decimal("66.7")),
        ("Recibieron un plan", 1, Decimal("33.3")),
        ("Dejaron sus datos", 2, Decimal("66.7")),
        ("Compraron", 1, Decimal("33.3")),
    ]


def test_it_ranks_the_makes_and_models_customers_asked_for(kvky):
    conversation = ConversationFactory(assistant=kvky)
    for slots in (
        {"make": "Nissan", "model": "Versa"},
        {"make": "Nissan", "model": "Versa"},
        {"make": "Nissan"},
        {"make": "Mazda", "model": "3"},
        {"body_type": "suv"},
    ):
        _message(conversation, DAY, intent="search_vehicles", slots=slots)
    _message(conversation, DAY, role=MessageRole.BOT, slots={"make": "Kia", "model": "Rio"})  # the bot's echo

    sales = dashboard_kpis(kinds=["sales"], date_range=WEEK).sales

    assert sales.top_makes == [("Nissan", 3), ("Mazda", 1)]
    assert sales.top_models == [("Nissan Versa", 2), ("Mazda 3", 1)]


def test_it_measures_the_staff_response_time_from_the_handoff(kvky):
    quick, slow, waiting = (ConversationFactory(assistant=kvky) for _ in range(3))
    for conversation, minutes in ((quick, 2), (slow, 10), (waiting, None)):
        Conversation.objects.filter(pk=conversation.pk).update(handoff=True, handoff_at=_at(DAY, 10))
        handoff = MessageFactory(conversation=conversation, role=MessageRole.BOT, payload={"handoff": True})
        Message.objects.filter(pk=handoff.pk).update(created_at=_at(DAY, 10))
        if minutes is not None:
            reply = MessageFactory(conversation=conversation, role=MessageRole.STAFF, text="Hola, soy Ana.")
            Message.objects.filter(pk=reply.pk).update(created_at=_at(DAY, 10) + dt.timedelta(minutes=minutes))

    times = dashboard_kpis(kinds=["sales"], date_range=WEEK).response_times

    assert (times.answered, times.unanswered) == (2, 1)
    assert (times.median, times.average) == (dt.timedelta(minutes=6), dt.timedelta(minutes=6))
    assert times.median_text == "6 min"


def test_it_counts_an_onboarding_assistant_s_answered_and_unanswered_questions(blinky):
    conversation = ConversationFactory(assistant=blinky)
    _message(conversation, DAY, role=MessageRole.BOT, intent="faq", payload={"faq": {"id": 1, "question": "¿?"}})
    _message(conversation, DAY, role=MessageRole.BOT, intent="faq", payload={"faq": None})
    _message(conversation, DAY, role=MessageRole.BOT, intent="out_of_scope", payload={})
    _message(conversation, DAY, role=MessageRole.BOT, intent="greet", payload={})
    Conversation.objects.filter(pk=conversation.pk).update(handoff=True, handoff_at=_at(DAY))

    kpis = dashboard_kpis(kinds=["onboarding"], date_range=WEEK)

    onboarding = kpis.onboarding
    assert (onboarding.questions, onboarding.answered, onboarding.unanswered, onboarding.handoffs) == (3, 1, 2, 1)
    assert kpis.sales is None


def test_it_shows_hr_staff_no_sales_figures(hr_client, blinky):
    _message(ConversationFactory(assistant=blinky), DAY, role=MessageRole.BOT, intent="faq", payload={"faq": None})

    page = hr_client.get(reverse("backoffice-dashboard"), {"start": WEEK.start, "end": WEEK.end})

    assert 'id="kpi-unanswered">1<' in page.text
    assert "Embudo" not in page.text
    assert "conversión" not in page.text


def test_it_shows_a_superuser_the_figures_of_each_kind(super_client, kvky, blinky, sales_week):
    page = super_client.get(reverse("backoffice-dashboard"), {"start": WEEK.start, "end": WEEK.end})

    assert 'id="kpi-conversion">33.3 %<' in page.text
    assert 'id="onboarding-figures"' in page.text


def test_it_names_the_intents_in_spanish_on_the_chart(sales_client, kvky, sales_week):
    page = sales_client.get(reverse("backoffice-dashboard"), {"start": WEEK.start, "end": WEEK.end})

    assert "Registro de prospecto" in page.text
    assert ">create_lead<" not in page.text
