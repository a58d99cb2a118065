"""Financing plans: the standard amortisation formula, in Decimal, rounded half-up to cents."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

CENT = Decimal("0.01")
MONTHS_PER_YEAR = 12
# Far more digits than any price needs, so only the final quantize rounds.
_PRECISION = 50


def _to_decimal(value: Any, field: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise FinancingError("invalid", f"El valor de {field} no es un número válido.") from None
    if not number.is_finite():
        raise FinancingError("invalid", f"El valor de {field} no es un número válido.")
    return number


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money_json(value: Decimal | float | int) -> int | float:
    """Money for JSON: whole pesos as an integer (253999), otherwise the amount in cents (50799.8)."""
    cents = to_cents(value if isinstance(value, Decimal) else Decimal(str(value)))
    if cents == cents.to_integral_value():
        return int(cents)
    return float(cents)


def format_money(value: Decimal) -> str:
    """$226,999 for whole pesos, $22,699.90 otherwise."""
    cents = to_cents(value)
    if cents == cents.to_integral_value():
        return f"${cents:,.0f}"
    return f"${cents:,.2f}"


def _format_pct(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


@dataclass(frozen=True)
class FinancingTerms:
    annual_rate: Decimal
    min_term_months: int
    max_term_months: int
    default_down_payment_pct: Decimal
    min_down_payment_pct: Decimal

    @classmethod
    def from_assistant(cls, assistant: Any) -> "FinancingTerms":
        return cls(
            annual_rate=_to_decimal(assistant.annual_rate, "la tasa"),
            min_term_months=int(assistant.min_term_months),
            max_term_months=int(assistant.max_term_months),
            default_down_payment_pct=_to_decimal(assistant.default_down_payment_pct, "el enganche"),
            min_down_payment_pct=_to_decimal(assistant.min_down_payment_pct, "el enganche mínimo"),
        )

    def whole_year_terms(self) -> list[int]:
        first_year = -(-self.min_term_months // MONTHS_PER_YEAR)  # ceiling division
        last_year = self.max_term_months // MONTHS_PER_YEAR
        return [year * MONTHS_PER_YEAR for year in range(max(first_year, 1), last_year + 1)]

    def term_range_text(self) -> str:
        text = f"entre {self.min_term_months} y {self.max_term_months} meses"
        if self.min_term_months % MONTHS_PER_YEAR == 0 and self.max_term_months % MONTHS_PER_YEAR == 0:
            text += f" (de {self.min_term_months // MONTHS_PER_YEAR} a {self.max_term_months // MONTHS_PER_YEAR} años)"
        return text


@dataclass(frozen=True)
class Plan:
    stock_id: str
    price: Decimal
    down_payment: Decimal
    loan_amount: Decimal
    annual_rate: Decimal
    term_months: int
    monthly_payment: Decimal
    total_paid: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "stock_id": str(self.stock_id),
            "price": money_json(self.price),
            "down_payment": money_json(self.down_payment),
            "loan_amount": money_json(self.loan_amount),
            "annual_rate": float(self.annual_rate),
            "term_months": int(self.term_months),
            "monthly_payment": money_json(self.monthly_payment),
            "total_paid": money_json(self.total_paid),
        }


class FinancingError(ValueError):
    """A plan that cannot be offered; str() is a Spanish sentence for the customer."""

    CODES = frozenset({"term_out_of_range", "down_payment_too_low", "down_payment_too_high", "invalid"})

    def __init__(self, code: str, message: str, *, terms: FinancingTerms | None = None, **details: Any) -> None:
        if code not in self.CODES:
            raise ValueError(f"unknown financing error code {code!r}")
        super().__init__(message)
        self.code = code
        self.terms = terms
        self.details = details


def monthly_payment(loan: Decimal, annual_rate: Decimal, months: int) -> Decimal:
    """L·r / (1 − (1 + r)^−n) with r = annual_rate / 12, rounded half-up to cents; L / n when the rate is 0."""
    loan = _to_decimal(loan, "el monto a financiar")
    annual_rate = _to_decimal(annual_rate, "la tasa")
    if loan < 0 or annual_rate < 0 or int(months) != months or months <= 0:
        raise FinancingError("invalid", "El monto, la tasa y el plazo deben ser positivos.")
    months = int(months)
    with localcontext() as context:
        context.prec = _PRECISION
        if annual_rate == 0:
            return to_cents(loan / months)
        rate = annual_rate / MONTHS_PER_YEAR
        growth = (1 + rate) ** months
        return to_cents(loan * rate * growth / (growth - 1))


def _resolve_down_payment(price: Decimal, terms: FinancingTerms, down_payment: Any, down_payment_pct: Any) -> Decimal:
    if down_payment is not None:
        return to_cents(_to_decimal(down_payment, "el enganche"))
    share = terms.default_down_payment_pct if down_payment_pct is None else _to_decimal(down_payment_pct, "el enganche")
    with localcontext() as context:
        context.prec = _PRECISION
        return to_cents(price * share)


def _check_down_payment(price: Decimal, down: Decimal, terms: FinancingTerms) -> None:
    if down < 0:
        raise FinancingError("invalid", "El enganche no puede ser negativo.", terms=terms)
    minimum = to_cents(price * terms.min_down_payment_pct)
    if down < minimum:
        raise FinancingError(
            "down_payment_too_low",
            f"El enganche mínimo es del {_format_pct(terms.min_down_payment_pct)} del precio "
            f"({format_money(minimum)} para un auto de {format_money(price)}).",
            terms=terms,
            minimum=minimum,
            down_payment=down,
        )
    if down >= price:
        raise FinancingError(
            "down_payment_too_high",
            f"El enganche tiene que ser menor al precio del auto ({format_money(price)}); "
            "si lo pagas completo, no necesitas financiamiento.",
            terms=terms,
            maximum=price,
            down_payment=down,
        )


def _check_term(term_months: Any, terms: FinancingTerms) -> int:
    months = _to_decimal(term_months, "el plazo")
    if isinstance(term_months, bool) or months != months.to_integral_value():
        raise FinancingError("invalid", "El plazo debe ser un número entero de meses.", terms=terms)
    term = int(months)
    if not terms.min_term_months <= term <= terms.max_term_months:
        raise FinancingError(
            "term_out_of_range",
            f"El plazo tiene que estar {terms.term_range_text()}; pediste {term} meses.",
            terms=terms,
            term_months=term,
        )
    return term


def financing_plan(
    price: Decimal,
    terms: FinancingTerms,
    *,
    term_months: int,
    down_payment: Decimal | None = None,
    down_payment_pct: Decimal | None = None,
    stock_id: str = "",
) -> Plan:
    """One plan. A down payment in pesos wins over a share; neither means the default share."""
    price = to_cents(_to_decimal(price, "el precio"))
    if price <= 0:
        raise FinancingError("invalid", "El precio del auto debe ser mayor a cero.", terms=terms)
    term = _check_term(term_months, terms)
    down = _resolve_down_payment(price, terms, down_payment, down_payment_pct)
    _check_down_payment(price, down, terms)
    loan = price - down
    monthly = monthly_payment(loan, terms.annual_rate, term)
    return Plan(
        stock_id=str(stock_id),
        price=price,
        down_payment=down,
        loan_amount=loan,
        annual_rate=terms.annual_rate,
        term_months=term,
        monthly_payment=monthly,
        total_paid=down + monthly * term,
    )


def financing_plans(
    price: Decimal,
    terms: FinancingTerms,
    *,
    term_months: int | None = None,
    down_payment: Decimal | None = None,
    down_payment_pct: Decimal | None = None,
    stock_id: str = "",
) -> list[Plan]:
    """The plan for the given term, or one plan per whole year in the allowed range."""
    # A range holding no whole year (e.g. 38–46 months) still gets a plan at its shortest term.
    default_terms = terms.whole_year_terms() or [terms.min_term_months]
    candidate_terms = default_terms if term_months is None else [term_months]
    return [
        financing_plan(
            price,
            terms,
            term_months=term,
            down_payment=down_payment,
            down_payment_pct=down_payment_pct,
            stock_id=stock_id,
        )
        for term in candidate_terms
    ]


def affordable_price(monthly_budget: Decimal, terms: FinancingTerms) -> Decimal:
    """The highest whole-peso price whose default plan at the longest term costs at most `monthly_budget` a month."""
    budget = _to_decimal(monthly_budget, "la mensualidad")
    months = terms.max_term_months

    def fits(price: Decimal) -> bool:
        return financing_plan(price, terms, term_months=months).monthly_payment <= budget

    with localcontext() as context:
        context.prec = _PRECISION
        rate = terms.annual_rate / MONTHS_PER_YEAR
        per_peso = rate / (1 - (1 + rate) ** -months) if rate else Decimal(1) / months
        price = (budget / (per_peso * (1 - terms.default_down_payment_pct))).to_integral_value(rounding=ROUND_FLOOR)
    while fits(price + 1):  # the estimate ignores the rounding to cents: settle it on the real plans
        price += 1
    while price > 1 and not fits(price):
        price -= 1
    return price
