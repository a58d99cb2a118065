"""The sales workflow: new → contacted → visit scheduled → won / lost."""

import pytest

from leads.models import Lead, LeadStatus
from leads.services import lead_can_move, leads_move
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("current", "new"),
    [("new", "contacted"), ("contacted", "visit_scheduled"), ("visit_scheduled", "won"), ("contacted", "lost")],
)
def test_it_allows_the_next_step(current, new):
    assert lead_can_move(current, new)


@pytest.mark.parametrize(("current", "new"), [("new", "won"), ("new", "visit_scheduled"), ("won", "lost")])
def test_it_refuses_skipping_a_step_or_leaving_won(current, new):
    assert not lead_can_move(current, new)


def test_it_moves_only_the_leads_the_workflow_allows():
    fresh = LeadFactory(status=LeadStatus.NEW)
    won = LeadFactory(status=LeadStatus.WON)

    moved, unchanged = leads_move(Lead.objects.all(), LeadStatus.CONTACTED)

    assert (moved, unchanged) == (1, 1)
    assert Lead.objects.get(pk=fresh.pk).status == LeadStatus.CONTACTED
    assert Lead.objects.get(pk=won.pk).status == LeadStatus.WON


def test_it_leaves_a_visit_without_its_date_to_the_leads_page():
    contacted = LeadFactory(status=LeadStatus.CONTACTED)

    assert leads_move(Lead.objects.all(), LeadStatus.VISIT_SCHEDULED) == (0, 1)
    assert Lead.objects.get(pk=contacted.pk).status == LeadStatus.CONTACTED
