"""Leads in the back office: the sales workflow (new → contacted → visit scheduled → won / lost), who follows
each lead up, notes, the vehicle and plan the customer chose, and a CSV/XLSX export of the filtered list."""

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from import_export.admin import ExportMixin

from conversations.backoffice.admin_scoping import AssistantFilter, AssistantScopedAdmin, short_datetime, titled
from conversations.backoffice.exports import EXPORT_FORMATS, FilteredExportMixin
from conversations.backoffice.roles import SALES_MANAGERS, users_in_roles
from conversations.phones import phone_e164
from conversations.templatetags.replies import pesos, pesos_cents
from leads.models import Lead, LeadEvent, LeadStatus
from leads.resources import LeadResource
from leads.services import TRACKED_FIELDS, lead_can_move, lead_next_statuses, lead_update, lead_validate, leads_move

MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]


def event_when(value: datetime) -> str:
    """'1 dic 10:42' in the site's time zone."""
    local = timezone.localtime(value)
    return f"{local.day} {MONTHS[local.month - 1]} {local:%H:%M}"


def event_line(event: LeadEvent) -> str:
    """'estado: nuevo → contactado (Ana, 1 dic 10:42)'."""
    who = (event.by.get_full_name() or event.by.get_username()) if event.by else "el sistema"
    return f"{TRACKED_FIELDS.get(event.field, event.field)}: {event.old} → {event.new} ({who}, {event_when(event.at)})"


class LeadForm(forms.ModelForm):
    """Staff edit the customer's name and phone, the status (one workflow step at a time, with what the step
    needs), the salesperson and the notes."""

    visit_at = forms.DateTimeField(
        label="Fecha y hora de la visita",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Obligatoria si el estado es «Visita agendada».",
    )

    class Meta:
        model = Lead
        fields = ["customer_name", "customer_phone", "status", "visit_at", "lost_reason", "assigned_to", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.status
        reachable = {current, *lead_next_statuses(current)}
        self.fields["status"].choices = [(value, label) for value, label in LeadStatus.choices if value in reachable]
        self.fields["assigned_to"].queryset = users_in_roles(get_user_model(), [SALES_MANAGERS])
        self.fields["assigned_to"].label = "Vendedor asignado"
        self.fields["status"].label = "Estado"
        self.fields["lost_reason"].help_text = "Obligatorio si el estado es «Perdido»."
        self.fields["customer_phone"].help_text = "10 dígitos o con lada internacional, p. ej. 55 1234 5678."

    def clean_customer_phone(self) -> str:
        phone = self.cleaned_data["customer_phone"].strip()
        if not phone:
            return ""
        normalised = phone_e164(phone)
        if normalised is None:
            raise ValidationError("Escribe un teléfono válido: 10 dígitos, p. ej. 55 1234 5678.")
        return normalised

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        current = self.instance.status
        if not lead_can_move(current, status):
            current_label, status_label = LeadStatus(current).label, LeadStatus(status).label
            raise ValidationError(f"Un prospecto «{current_label}» no puede pasar a «{status_label}».")
        return status

    def _post_clean(self) -> None:
        super()._post_clean()
        # What each step needs, with the same rules as the service (a bad step is a form error, not a 500).
        try:
            lead_validate(self.instance)
        except ValidationError as error:
            self._update_errors(error)


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
    list_display = [
        "folio", "created", "customer", "vehicle_column", "plan_column", "status_label", "salesperson", "flags"
    ]  # fmt: skip
    list_filter = [
        ("status", titled(admin.ChoicesFieldListFilter, "estado")),
        ("assigned_to", titled(admin.RelatedOnlyFieldListFilter, "vendedor asignado")),
        ("created_at", titled(admin.DateFieldListFilter, "fecha")),
        ("duplicate_of", titled(admin.EmptyFieldListFilter, "repetido")),
        AssistantFilter,
    ]
    list_select_related = ["vehicle", "assigned_to", "assistant", "duplicate_of"]
    search_fields = ["folio", "customer_phone", "customer_name", "vehicle_label", "notes"]
    search_help_text = "Busca por folio, teléfono, nombre, vehículo o notas."
    readonly_fields = [
        "folio",
        "assistant_name",
        "created",
        "request",
        "vehicle_context",
        "plan_context",
        "conversation_link",
        "hold_context",
        "flags",
        "history",
    ]
    fieldsets = [
        (None, {"fields": ["folio", "assistant_name", "created", "flags"]}),
        ("Cliente", {"fields": ["customer_name", "customer_phone", "request", "conversation_link"]}),
        ("Lo que eligió", {"fields": ["vehicle_context", "plan_context", "hold_context"]}),
        ("Seguimiento", {"fields": ["status", "visit_at", "lost_reason", "assigned_to", "notes"]}),
        ("Historial", {"fields": ["history"]}),
    ]
    # A visit needs its date and a lost lead its reason: those steps are taken on the lead's page.
    actions = ["mark_contacted", "mark_won"]

    def save_model(self, request: HttpRequest, obj: Lead, form: forms.ModelForm, change: bool) -> None:
        lead_update(obj, by=request.user, **{field: form.cleaned_data[field] for field in form.changed_data})

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

    @admin.display(description="apartado")
    def hold_context(self, lead: Lead) -> str:
        if lead.hold_until is None:
            return "—"
        return f"El auto está apartado hasta el {short_datetime(lead.hold_until)}; después se vuelve a ofrecer."

    @admin.display(description="avisos")
    def flags(self, lead: Lead) -> str:
        notes = []
        if lead.duplicate_of_id:
            notes.append(f"Repetido: el mismo teléfono ya pidió este auto ({lead.duplicate_of.folio})")
        if lead.requested_again_at:
            notes.append(f"Lo volvió a pedir el {short_datetime(lead.requested_again_at)}")
        if not notes:
            return "—"
        return format_html_join(mark_safe("<br>"), '<span class="badge badge-handoff">{}</span>', ((n,) for n in notes))

    @admin.display(description="historial")
    def history(self, lead: Lead) -> str:
        events = lead.events.select_related("by")
        if not events:
            return "Sin cambios todavía."
        return format_html(
            '<ul class="lead-history">{}</ul>', format_html_join("", "<li>{}</li>", ((event_line(e),) for e in events))
        )

    @admin.display(description="conversación")
    def conversation_link(self, lead: Lead) -> str:
        if lead.conversation_id is None:
            return "—"
        url = reverse("admin:conversations_conversation_change", args=[lead.conversation_id])
        return format_html('<a href="{}">Ver la conversación</a>', url)

    # -- workflow actions --

    def _move(self, request: HttpRequest, queryset: QuerySet[Lead], status: LeadStatus) -> None:
        moved, unchanged = leads_move(queryset, status, by=request.user)
        self.message_user(request, f"{moved} prospectos pasaron a «{status.label}».", messages.SUCCESS)
        if unchanged:
            self.message_user(
                request,
                f"{unchanged} no cambiaron: ya estaban así, el flujo no permite ese paso desde su estado "
                "o el paso pide más datos (ábrelos uno por uno).",
                messages.WARNING,
            )

    @admin.action(description="Marcar como contactados", permissions=["change"])
    def mark_contacted(self, request: HttpRequest, queryset: QuerySet[Lead]) -> None:
        self._move(request, queryset, LeadStatus.CONTACTED)

    @admin.action(description="Marcar como ganados", permissions=["change"])
    def mark_won(self, request: HttpRequest, queryset: QuerySet[Lead]) -> None:
        self._move(request, queryset, LeadStatus.WON)
