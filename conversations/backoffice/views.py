"""The staff dashboard: KPIs of the assistants the user's role covers, over a date range."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse

from conversations.backoffice.charts import bar_chart, column_chart
from conversations.backoffice.dashboard import (
    DashboardKpis,
    DateRange,
    OnboardingFigures,
    SalesFigures,
    dashboard_kpis,
)
from conversations.backoffice.forms import DateRangeForm
from conversations.backoffice.roles import visible_assistant_kinds
from conversations.models import intent_label


def _share_text(share: object) -> str:
    return "—" if share is None else f"{share} %"


def _sales_charts(sales: SalesFigures) -> dict[str, str]:
    return {
        "funnel": bar_chart(
            [(step.label, step.conversations) for step in sales.funnel] if sales.conversations else [],
            title="Embudo de ventas: conversaciones por etapa",
            notes=[_share_text(step.share) for step in sales.funnel],
        ),
        "makes": bar_chart(sales.top_makes, title="Marcas más pedidas (mensajes del cliente)"),
        "models": bar_chart(sales.top_models, title="Modelos más pedidos (mensajes del cliente)"),
        "leads": bar_chart(sales.leads_by_status, title="Prospectos por estado"),
    }


def _onboarding_charts(onboarding: OnboardingFigures) -> dict[str, str]:
    rows = [("Respondidas", onboarding.answered), ("Sin respuesta", onboarding.unanswered)]
    return {"questions": bar_chart(rows if onboarding.questions else [], title="Preguntas de los colaboradores")}


def _charts(kpis: DashboardKpis) -> dict[str, str]:
    nps = kpis.nps
    nps_groups = [("Promotores (9–10)", nps.promoters), ("Pasivos (7–8)", nps.passives)]
    nps_groups.append(("Detractores (0–6)", nps.detractors))
    charts = {
        "per_day": column_chart(
            [(day.strftime("%d/%m"), count) for day, count in kpis.conversations_per_day],
            title="Conversaciones por día",
            unit="conversaciones",
        ),
        "intents": bar_chart(
            [(intent_label(intent), count) for intent, count in kpis.intents[:12]],
            title="Mensajes del cliente por intención",
        ),
        "csat": bar_chart(
            [(f"{score} ★", count) for score, count in kpis.csat.distribution] if kpis.csat.responses else [],
            title="Calificaciones de 1 a 5",
        ),
        "nps": bar_chart(nps_groups if nps.responses else [], title="¿Nos recomendarías? (0 a 10)"),
    }
    if kpis.sales is not None:
        charts.update(_sales_charts(kpis.sales))
    if kpis.onboarding is not None:
        charts.update(_onboarding_charts(kpis.onboarding))
    return charts


def dashboard(request: HttpRequest) -> TemplateResponse:
    if not request.user.has_perm("conversations.view_conversation"):
        raise PermissionDenied
    default = DateRange.last_days()
    form = DateRangeForm(request.GET or {"start": default.start, "end": default.end})
    date_range = form.date_range() if form.is_valid() else default
    kpis = dashboard_kpis(kinds=visible_assistant_kinds(request.user), date_range=date_range)
    context = {
        **admin.site.each_context(request),
        "title": "Tablero de indicadores",
        "form": form,
        "kpis": kpis,
        "charts": _charts(kpis),
        "show_leads": request.user.has_perm("leads.view_lead"),
    }
    return TemplateResponse(request, "admin/dashboard.html", context)
