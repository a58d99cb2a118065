"""Leads in the back office: the sales workflow (new → contacted → visit scheduled → won / lost), who follows
each lead up, notes, the vehicle and plan the customer chose, and a CSV/XLSX export of the filtered list."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ExportMixin

from conversations.backoffice.admin_scoping import AssistantFilter, AssistantScopedAdmin, short_datetime, titled
from conversations.backoffice.exports import EXPORT_FORMATS, FilteredExportMixin
from conversations.backoffice.roles import SALES_MANAGERS, users_in_roles
from conversations.templatetags.replies import pesos, pesos_cents
from leads.models import Lead, LeadStatus
from leads.resources import LeadResource
from leads.services import lead_can_move, lead_next_statuses, leads_move


class LeadForm(forms.ModelForm):
    """Staff edit the status (one workflow step at a time), the salesperson and the notes."""

    class Meta:
        model = Lead
        fields = ["status", "assigned_to", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.status
        reachable = {current, *lead_next_statuses(current)}
        self.fields["status"].choices = [(value, label) for value, label in LeadStatus.choices if value in reachable]
        self.fields["assigned_to"].queryset = users_in_roles(get_user_model(), [SALES_MANAGERS])
        self.fields["assigned_to"].label = "Vendedor asignado"
        self.fields["status"].label = "Estado"

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        current = self.instance.status
        if not lead_can_move(current, status):
            current_label, status_label = LeadStatus(current).label, LeadStatus(status).label
            raise ValidationError(f"Un prospecto «{current_label}» no puede pasar a «{status_label}».")
        return status


def plan_summary(plan: dict[str, Any]) -> str:
    """'$4,605.82 al mes × 48 meses · enganche $45,400.00 · tasa 10 %', or '—' without a plan."""
    if not plan or plan.get("monthly_payment") is None:
        return "—"
    parts = [f"{pesos_cents(plan['monthly_payment'])} al mes × {plan.get('term_months')} meses"]
    if plan.get("down_payment") is not None:
        parts.append(f"enganche {pesos_cents(plan['down_payment'])}")
    if plan.get("annual_rate") is not None:
        parts.append(f"tasa {float(plan['annual_rate']) * 100:g} %")
    return " · ".join(parts)


@admin.register(Lead)
class LeadAdmin(FilteredExportMixin, ExportMixin, AssistantScopedAdmin):
    form = LeadForm
    resource_classes = [LeadResource]
    formats = EXPORT_FORMATS
    list_display = ["folio", "created", "customer", "vehicle_column", "plan_column", "status_label", "salesperson"]
    list_filter = [
        ("status", titled(admin.ChoicesFieldListFilter, "estado")),
        ("assigned_to", titled(admin.RelatedOnlyFieldListFilter, "vendedor asignado")),
        ("created_at", titled(admin.DateFieldListFilter, "fecha")),
        AssistantFilter,
    ]
    list_select_related = ["vehicle", "assigned_to", "assistant"]
    search_fields = ["folio", "customer_phone", "customer_name", "vehicle_label", "notes"]
    search_help_text = "Busca por folio, teléfono, nombre, vehículo o notas."
    readonly_fields = [
        "folio",
        "assistant_name",
        "created",
        "customer_name",
        "customer_phone",
        "request",
        "vehicle_context",
        "plan_context",
        "conversation_link",
    ]
    fieldsets = [
        (None, {"fields": ["folio", "assistant_name", "created"]}),
        ("Cliente", {"fields": ["customer_name", "customer_phone", "request", "conversation_link"]}),
        ("Lo que eligió", {"fields": ["vehicle_context", "plan_context"]}),
        ("Seguimiento", {"fields": ["status", "assigned_to", "notes"]}),
    ]
    actions = ["mark_contacted", "mark_visit_scheduled", "mark_won", "mark_lost"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # leads come from the conversations, each with its folio

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    # -- columns and read-only context --

    @admin.display(description="asistente")
    def assistant_name(self, lead: Lead) -> str:
        return lead.assistant.name

    @admin.display(description="fecha", ordering="created_at")
    def created(self, lead: Lead) -> str:
        return short_datetime(lead.created_at)

    @admin.display(description="estado", ordering="status")
    def status_label(self, lead: Lead) -> str:
        return lead.get_status_display()

    @admin.display(description="vendedor asignado", ordering="assigned_to__username")
    def salesperson(self, lead: Lead) -> str:
        return lead.assigned_to.get_username() if lead.assigned_to else "—"

    @admin.display(description="cliente", ordering="customer_name")
    def customer(self, lead: Lead) -> str:
        return format_html("{}<br><small>{}</small>", lead.customer_name or "(sin nombre)", lead.customer_phone or "")

    @admin.display(description="vehículo", ordering="vehicle_label")
    def vehicle_column(self, lead: Lead) -> str:
        return lead.vehicle_label or "—"

    @admin.display(description="plan")
    def plan_column(self, lead: Lead) -> str:
        return plan_summary(lead.plan)

    @admin.display(description="vehículo")
    def vehicle_context(self, lead: Lead) -> str:
        vehicle = lead.vehicle
        if vehicle is None:
            return lead.vehicle_label or "—"
        url = reverse("admin:catalog_vehicle_change", args=[vehicle.pk])
        return format_html(
            '<a href="{}">{}</a> · {} · {}', url, lead.vehicle_label, pesos(vehicle.price), vehicle.get_status_display()
        )

    @admin.display(description="plan de financiamiento")
    def plan_context(self, lead: Lead) -> str:
        return plan_summary(lead.plan)

    @admin.display(description="conversación")
    def conversation_link(self, lead: Lead) -> str:
        if lead.conversation_id is None:
            return "—"
        url = reverse("admin:conversations_conversation_change", args=[lead.conversation_id])
        return format_html('<a href="{}">Ver la conversación</a>', url)

    # -- workflow actions --

    def _move(self, request: HttpRequest, queryset: QuerySet[Lead], status: LeadStatus) -> None:
        moved, unchanged = leads_move(queryset, status)
        self.message_user(request, f"{moved} prospectos pasaron a «{status.label}».", messages.SUCCESS)
        if unchanged:
            self.message_user(
                request,
                f"{unchanged} no cambiaron: ya estaban así o el flujo no permite ese paso desde su estado.",
                messages.WARNING,
            )

    @admin.action(description="Marcar como contactados", permissions=["change"])
    def mark_contacted(self, request: HttpRequest, queryset: QuerySet[Lead]) -> None:
        self._move(request, queryset, LeadStatus.CONTACTED)

    @admin.action(description="Marcar con visita agendada", permissions=["change"])
    def mark_visit_scheduled(self, request: HttpRequest, queryset: QuerySet[Lead]) -> None:
        self._move(request, queryset, LeadStatus.VISIT_SCHEDULED)

    @admin.action(description="Marcar como ganados", permissions=["change"])
    def mark_won(self, request: HttpRequest, queryset: QuerySet[Lead]) -> None:
        self._move(request, queryset, LeadStatus.WON)

    @admin.action(description="Marcar como perdidos", permissions=["change"])
    def mark_lost(self, request: HttpRequest, queryset: QuerySet[Lead]) -> None:
        self._move(request, queryset, LeadStatus.LOST)
