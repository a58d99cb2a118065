"""Leads in the admin: the status workflow, the salesperson, notes, the vehicle and plan in context, and the
CSV/XLSX export of the filtered list."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.tests.admin_io import export_file
from catalog.tests.factories import VehicleFactory
from conversations.tests.backoffice.users import hr_user, logged_in, sales_manager
from leads.models import Lead, LeadStatus
from leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:leads_lead_changelist")
EXPORT_URL = reverse("admin:leads_lead_export")
PLAN = {"stock_id": "7001", "price": 226999.0, "down_payment": 45399.8, "loan_amount": 181599.2,
        "annual_rate": 0.1, "term_months": 48, "monthly_payment": 4605.82, "total_paid": 266478.16}  # fmt: skip


@pytest.fixture
def manager():
    return sales_manager()


@pytest.fixture
def client(manager):
    return logged_in(manager)


@pytest.fixture
def lead() -> Lead:
    vehicle = VehicleFactory(stock_id="7001")
    return LeadFactory(folio="KVK-7Q2M-9XHF", vehicle=vehicle, vehicle_label="Chevrolet Onix 2021 (7001)", plan=PLAN)


def _change(client, lead: Lead, **fields):
    data = {"status": lead.status, "assigned_to": "", "notes": lead.notes, **fields}
    return client.post(reverse("admin:leads_lead_change", args=[lead.pk]), data)


def test_it_shows_the_vehicle_and_plan_of_a_lead(client, lead):
    page = client.get(reverse("admin:leads_lead_change", args=[lead.pk]))

    assert "Chevrolet Onix 2021 (7001)" in page.text
    assert "$4,605.82 al mes × 48 meses · enganche $45,399.80 · tasa 10 %" in page.text


def test_it_offers_only_the_next_statuses_of_the_workflow(client, lead):
    page = client.get(reverse("admin:leads_lead_change", args=[lead.pk]))

    choices = [value for value, _ in page.context["adminform"].form.fields["status"].choices]
    assert choices == ["new", "contacted", "lost"]


def test_it_moves_a_lead_one_step_and_assigns_a_salesperson_with_notes(client, manager, lead):
    response = _change(client, lead, status="contacted", assigned_to=manager.pk, notes="Llamar el lunes.")

    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.assigned_to, lead.notes) == ("contacted", manager, "Llamar el lunes.")


def test_it_refuses_to_skip_a_step(client, lead):
    page = _change(client, lead, status="won")

    assert page.status_code == 200
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.NEW


def test_it_only_assigns_sales_staff(client, lead):
    page = _change(client, lead, assigned_to=hr_user().pk)

    assert "assigned_to" in page.context["adminform"].form.errors


def test_it_advances_leads_with_an_action(client, lead):
    client.post(LIST_URL, {"action": "mark_contacted", "_selected_action": [lead.pk]})

    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.CONTACTED


def test_it_exports_only_the_filtered_leads_as_csv(client, lead):
    LeadFactory(folio="KVK-WON0-0001", status=LeadStatus.WON)

    response = export_file(client, f"{EXPORT_URL}?status__exact=new", "csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["folio"] for row in rows] == ["KVK-7Q2M-9XHF"]
    assert (rows[0]["mensualidad"], rows[0]["plazo_meses"], rows[0]["estado"]) == ("4605.82", "48", "Nuevo")


def test_it_exports_leads_as_xlsx_with_formulas_kept_as_text(client):
    LeadFactory(folio="KVK-XLSX-0001", notes="=HYPERLINK(\"http://malo\")")

    response = export_file(client, EXPORT_URL, "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    notes = sheet.cell(row=2, column=header.index("notas") + 1)
    assert (notes.value, notes.data_type, notes.quotePrefix) == ("=HYPERLINK(\"http://malo\")", "s", True)


def test_it_lets_staff_edit_the_name_and_phone(client, lead):
    _change(client, lead, customer_name="Juan Pérez", customer_phone="(55) 1234 9876")

    lead.refresh_from_db()
    assert (lead.customer_name, lead.customer_phone) == ("Juan Pérez", "+525512349876")


def test_it_refuses_a_bad_phone_with_a_form_error(client, lead):
    page = _change(client, lead, customer_phone="55-LOVE")

    assert page.status_code == 200
    assert "customer_phone" in page.context["adminform"].form.errors
    assert Lead.objects.get(pk=lead.pk).customer_phone == "+525512345678"


def test_it_asks_for_the_visit_date_when_a_visit_is_scheduled(client, lead):
    Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.CONTACTED)
    lead.refresh_from_db()

    page = _change(client, lead, status="visit_scheduled")

    assert page.status_code == 200
    assert "Escribe la fecha y la hora de la visita." in page.text
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.CONTACTED


def test_it_schedules_a_visit_with_its_date_and_shows_the_history(client, lead):
    Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.CONTACTED)
    lead.refresh_from_db()

    _change(client, lead, status="visit_scheduled", visit_at="2026-12-05T10:30")

    lead.refresh_from_db()
    page = client.get(reverse("admin:leads_lead_change", args=[lead.pk]))
    assert lead.status == LeadStatus.VISIT_SCHEDULED
    assert timezone.localtime(lead.visit_at).strftime("%Y-%m-%d %H:%M") == "2026-12-05 10:30"
    assert "estado: contactado → visita agendada (ventas, " in page.text


def test_it_asks_why_a_lead_was_lost(client, lead):
    page = _change(client, lead, status="lost")

    assert "Elige por qué se perdió el prospecto." in page.text
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.NEW


def test_it_flags_a_repeated_lead_in_the_list(client, lead):
    LeadFactory(folio="KVK-REPE-0001", duplicate_of=lead)

    page = client.get(LIST_URL)

    assert "el mismo teléfono ya pidió este auto (KVK-7Q2M-9XHF)" in page.text
