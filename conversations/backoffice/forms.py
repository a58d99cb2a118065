"""Forms of the back office: assistant settings, channel numbers, staff replies, the FAQ try box, the
dashboard's date range. Validation messages are for staff, in Spanish."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from conversations.backoffice.dashboard import MAX_RANGE_DAYS, DateRange
from conversations.models import Assistant, AssistantKind, ChannelNumber, normalise_channel_number
from financing.calculator import FinancingTerms

FOLIO_PREFIX_PATTERN = re.compile(r"^[A-Z0-9]{2,8}$")
MIN_TERM_MONTHS = 6
MAX_TERM_MONTHS = 120
MAX_ANNUAL_RATE = Decimal("0.99")


class AssistantSettingsForm(forms.ModelForm):
    class Meta:
        model = Assistant
        fields = [
            "slug", "kind", "name", "greeting", "persona", "value_proposition", "locations_text", "help_text",
            "annual_rate", "min_term_months", "max_term_months", "default_down_payment_pct", "min_down_payment_pct",
            "folio_prefix", "whatsapp_template_sid", "llm_enabled", "llm_model",
        ]  # fmt: skip
        help_texts = {
            "annual_rate": "Como fracción: 0.10 es 10 % anual.",
            "default_down_payment_pct": "Como fracción: 0.20 es 20 % del precio.",
            "min_down_payment_pct": "Como fracción: 0.10 es 10 % del precio.",
            "folio_prefix": "De 2 a 8 letras mayúsculas o números, p. ej. KVK.",
        }

    def clean_folio_prefix(self) -> str:
        prefix = self.cleaned_data["folio_prefix"].strip().upper()
        if not FOLIO_PREFIX_PATTERN.match(prefix):
            raise ValidationError("El prefijo lleva de 2 a 8 letras sin acentos o números, p. ej. KVK.")
        return prefix

    def clean_annual_rate(self) -> Decimal:
        rate = self.cleaned_data["annual_rate"]
        if rate is not None and not Decimal("0") <= rate <= MAX_ANNUAL_RATE:
            raise ValidationError("La tasa anual va de 0 a 0.99 (0 % a 99 %).")
        return rate

    def clean_min_term_months(self) -> int:
        return self._term(self.cleaned_data["min_term_months"])

    def clean_max_term_months(self) -> int:
        return self._term(self.cleaned_data["max_term_months"])

    def clean_default_down_payment_pct(self) -> Decimal:
        share = self.cleaned_data["default_down_payment_pct"]
        if share is not None and share >= 1:
            raise ValidationError("El enganche por omisión debe ser menor al 100 % del precio.")
        return share

    def clean_min_down_payment_pct(self) -> Decimal:
        share = self.cleaned_data["min_down_payment_pct"]
        if share is not None and share >= 1:
            raise ValidationError("El enganche mínimo debe ser menor al 100 % del precio.")
        return share

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind") or self.instance.kind
        low, high = data.get("min_term_months"), data.get("max_term_months")
        if kind == AssistantKind.SALES and low and high and low <= high and not _whole_year_terms(low, high):
            self.add_error("max_term_months", "El rango debe incluir un plazo de años completos (12, 24, 36…).")
        return data

    @staticmethod
    def _term(months: int | None) -> int | None:
        if months is not None and not MIN_TERM_MONTHS <= months <= MAX_TERM_MONTHS:
            raise ValidationError(f"El plazo va de {MIN_TERM_MONTHS} a {MAX_TERM_MONTHS} meses.")
        return months


def _whole_year_terms(min_term_months: int, max_term_months: int) -> list[int]:
    """The terms the bot offers (whole years) for that range, as the financing calculator counts them."""
    zero = Decimal("0")
    return FinancingTerms(zero, min_term_months, max_term_months, zero, zero).whole_year_terms()


class ChannelNumberForm(forms.ModelForm):
    class Meta:
        model = ChannelNumber
        fields = ["number"]

    def clean_number(self) -> str:
        number = normalise_channel_number(self.cleaned_data["number"])
        if not 8 <= len(number) - 1 <= 15:
            raise ValidationError("Escribe el número completo con lada internacional, p. ej. +14155238886.")
        return number


class StaffReplyForm(forms.Form):
    text = forms.CharField(
        label="Tu respuesta",
        max_length=1600,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Escribe tu respuesta al cliente…"}),
    )


class InternalNoteForm(forms.Form):
    text = forms.CharField(
        label="Nota interna",
        max_length=2000,
        help_text="Solo la ve el personal; nunca se envía al cliente.",
        error_messages={"required": "Escribe la nota antes de guardarla."},
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "p. ej. Quiere verlo el sábado; llamar antes."}),
    )


class FaqTryForm(forms.Form):
    assistant = forms.ModelChoiceField(label="Asistente", queryset=Assistant.objects.none(), empty_label=None)
    question = forms.CharField(
        label="Pregunta",
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "p. ej. ¿cuándo me pagan?", "size": 50}),
    )

    def __init__(self, *args: Any, assistants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assistant"].queryset = assistants


EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)


class DateRangeForm(forms.Form):
    start = forms.DateField(label="Desde", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="Hasta", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        # Dates at the ends of the calendar (9999-12-31) cannot be turned into the range's day bounds.
        if any(day and not EARLIEST_DATE <= day <= LATEST_DATE for day in (start, end)):
            raise ValidationError(f"Elige fechas entre el {EARLIEST_DATE:%d/%m/%Y} y el {LATEST_DATE:%d/%m/%Y}.")
        if start and end:
            if start > end:
                raise ValidationError("La fecha inicial debe ser anterior o igual a la final.")
            if (end - start) > dt.timedelta(days=MAX_RANGE_DAYS - 1):
                raise ValidationError(f"El periodo puede abarcar hasta {MAX_RANGE_DAYS} días.")
        return data

    def date_range(self) -> DateRange:
        return DateRange(self.cleaned_data["start"], self.cleaned_data["end"])
