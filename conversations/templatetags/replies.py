"""Filters for the reply templates: money as the contract writes it."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def pesos(value: object) -> str:
    """Whole pesos: $226,999."""
    amount = Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"${amount:,.0f}"


@register.filter
def pesos_cents(value: object) -> str:
    """Pesos with cents: $4,605.82."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"${amount:,.2f}"


@register.filter
def thousands(value: object) -> str:
    """A whole number with thousands separators: 28,430."""
    return f"{int(value):,}"


@register.filter
def percent(value: object) -> str:
    """A share as a percentage: 0.2 -> 20%."""
    share = (Decimal(str(value)) * 100).normalize()
    return f"{share:f}%"


@register.filter
def years(months: object) -> str:
    """48 -> '4 años'; 18 -> '18 meses'."""
    months = int(months)
    if months % 12:
        return f"{months} meses"
    count = months // 12
    return "1 año" if count == 1 else f"{count} años"
