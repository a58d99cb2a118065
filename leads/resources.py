"""The leads export (CSV and XLSX) of the admin's filtered list: one row per lead, the plan in columns.

Values stay native (a local datetime, Decimals, the rate as a Percent) so the XLSX gets date, money and
percentage cells; conversations/backoffice/exports.py decides how each format writes them."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from import_export import fields

from catalog.resources import SpreadsheetResource
from conversations.backoffice.exports import Percent
from leads.models import Lead


def _plan(key: str) -> Callable[[Lead], Any]:
    """Reads one number of the lead's financing plan (blank when the lead has no plan)."""

    def value(lead: Lead) -> Any:
        number = (lead.plan or {}).get(key)
        if number is None:
            return ""
        if key == "term_months":
            return number
        return Percent(str(number)) if key == "annual_rate" else Decimal(str(number))

    return value


class LeadResource(SpreadsheetResource):
    sheet_title = "Prospectos"

    folio = fields.Field(attribute="folio", column_name="folio")
    created = fields.Field(column_name="fecha")
    status = fields.Field(column_name="estado")
    customer_name = fields.Field(attribute="customer_name", column_name="nombre")
    customer_phone = fields.Field(attribute="customer_phone", column_name="telefono")
    vehicle = fields.Field(attribute="vehicle_label", column_name="vehiculo")
    stock_id = fields.Field(column_name="stock_id")
    request = fields.Field(attribute="request", column_name="solicitud")
    assigned = fields.Field(column_name="asignado_a")
    notes = fields.Field(attribute="notes", column_name="notas")
    assistant = fields.Field(column_name="asistente")
    price = fields.Field(column_name="precio", dehydrate_method=_plan("price"))
    down_payment = fields.Field(column_name="enganche", dehydrate_method=_plan("down_payment"))
    term_months = fields.Field(column_name="plazo_meses", dehydrate_method=_plan("term_months"))
    monthly_payment = fields.Field(column_name="mensualidad", dehydrate_method=_plan("monthly_payment"))
    annual_rate = fields.Field(column_name="tasa_anual", dehydrate_method=_plan("annual_rate"))

    class Meta:
        model = Lead
        fields = (
            "folio", "created", "status", "customer_name", "customer_phone", "vehicle", "stock_id", "price",
            "down_payment", "term_months", "monthly_payment", "annual_rate", "request", "assigned", "notes",
            "assistant",
        )  # fmt: skip

    def get_queryset(self) -> Any:
        return Lead.objects.select_related("vehicle", "assigned_to", "assistant")

    def dehydrate_created(self, lead: Lead) -> datetime:
        # Naive local time to the minute: Excel has no time zones, and the list shows minutes.
        return timezone.localtime(lead.created_at).replace(tzinfo=None, second=0, microsecond=0)

    def dehydrate_status(self, lead: Lead) -> str:
        return lead.get_status_display()

    def dehydrate_stock_id(self, lead: Lead) -> str:
        return lead.vehicle.stock_id if lead.vehicle else str((lead.plan or {}).get("stock_id", ""))

    def dehydrate_assigned(self, lead: Lead) -> str:
        return lead.assigned_to.get_username() if lead.assigned_to else ""

    def dehydrate_assistant(self, lead: Lead) -> str:
        return lead.assistant.slug
