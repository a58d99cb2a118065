from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.tests.factories import AssistantFactory
from financing.calculator import (
    FinancingError,
    FinancingTerms,
    affordable_price,
    financing_plan,
    financing_plans,
    money_json,
    monthly_payment,
)

DEFAULT_TERMS = FinancingTerms(
    annual_rate=Decimal("0.10"),
    min_term_months=36,
    max_term_months=72,
    default_down_payment_pct=Decimal("0.20"),
    min_down_payment_pct=Decimal("0.10"),
)
ONIX_PRICE = Decimal("226999")


def _numpy_payment(loan: Decimal, annual_rate: Decimal, months: int) -> Decimal:
    payment = -npf.pmt(float(annual_rate) / 12, months, float(loan))
    return Decimal(str(float(payment))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- monthly_payment ----------------------------------------------------------


def test_it_matches_the_contract_example_for_the_onix_at_48_months():
    assert monthly_payment(Decimal("181599.20"), Decimal("0.10"), 48) == Decimal("4605.82")


@pytest.mark.parametrize("price", [Decimal("89999"), Decimal("226999"), Decimal("461999.50"), Decimal("1899999")])
@pytest.mark.parametrize("months", [12, 36, 48, 60, 72, 84])
@pytest.mark.parametrize("annual_rate", [Decimal("0.0599"), Decimal("0.10"), Decimal("0.1899"), Decimal("0.35")])
def test_it_agrees_with_numpy_financial_to_the_cent_on_a_grid(price, months, annual_rate):
    assert monthly_payment(price, annual_rate, months) == _numpy_payment(price, annual_rate, months)


@settings(max_examples=300, deadline=None)
@given(
    loan=st.decimals(min_value=Decimal("1000"), max_value=Decimal("5000000"), places=2),
    months=st.integers(min_value=1, max_value=120),
    annual_rate=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("0.60"), places=4),
)
def test_it_agrees_with_numpy_financial_for_any_loan(loan, months, annual_rate):
    # numpy works in binary floats: a payment exactly on a half cent may round the other way.
    assert abs(monthly_payment(loan, annual_rate, months) - _numpy_payment(loan, annual_rate, months)) <= Decimal(
        "0.01"
    )


def test_it_divides_the_loan_evenly_when_the_rate_is_zero():
    assert monthly_payment(Decimal("100000"), Decimal("0"), 48) == Decimal("2083.33")


def test_it_rounds_half_up_to_cents():
    # 1000.05 / 10 = 100.005 exactly: half-up gives 100.01 (banker's rounding would give 100.00).
    assert monthly_payment(Decimal("1000.05"), Decimal("0"), 10) == Decimal("100.01")


@pytest.mark.parametrize(
    ("loan", "rate", "months"), [(Decimal("-1"), Decimal("0.1"), 12), (1000, -0.1, 12), (1000, 0.1, 0)]
)
def test_it_refuses_negative_or_empty_inputs(loan, rate, months):
    with pytest.raises(FinancingError) as error:
        monthly_payment(loan, rate, months)
    assert error.value.code == "invalid"


# --- financing_plan -----------------------------------------------------------


def test_it_uses_the_default_down_payment_share():
    plan = financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=48)
    assert (plan.down_payment, plan.loan_amount, plan.monthly_payment) == (
        Decimal("45399.80"),
        Decimal("181599.20"),
        Decimal("4605.82"),
    )


def test_it_uses_a_stated_down_payment_share():
    plan = financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=48, down_payment_pct=Decimal("0.30"))
    assert plan.monthly_payment == Decimal("4030.10")


def test_it_prefers_a_down_payment_in_pesos_over_a_share():
    plan = financing_plan(
        ONIX_PRICE, DEFAULT_TERMS, term_months=48, down_payment=Decimal("60000"), down_payment_pct=Decimal("0.5")
    )
    assert (plan.down_payment, plan.loan_amount) == (Decimal("60000.00"), Decimal("166999.00"))


def test_it_counts_the_total_paid_as_down_payment_plus_every_payment():
    plan = financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=48)
    assert plan.total_paid == Decimal("45399.80") + Decimal("4605.82") * 48


def test_it_rounds_the_down_payment_share_half_up_to_cents():
    # 0.2 × 1000.025 = 200.005 → 200.01; the price itself is first rounded to 1000.03 → 200.006 → 200.01.
    plan = financing_plan(Decimal("1000.03"), DEFAULT_TERMS, term_months=36)
    assert plan.down_payment == Decimal("200.01")


def test_it_accepts_the_minimum_down_payment_exactly():
    plan = financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=48, down_payment=Decimal("22699.90"))
    assert plan.down_payment == Decimal("22699.90")


def test_it_refuses_a_down_payment_a_cent_below_the_minimum():
    with pytest.raises(FinancingError) as error:
        financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=48, down_payment=Decimal("22699.89"))
    assert error.value.code == "down_payment_too_low"


def test_it_refuses_no_down_payment_at_all():
    with pytest.raises(FinancingError) as error:
        financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=48, down_payment=0)
    assert error.value.code == "down_payment_too_low"


def test_it_explains_the_minimum_down_payment_in_spanish():
    with pytest.raises(FinancingError) as error:
        financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=48, down_payment_pct=Decimal("0.05"))
    assert "10%" in str(error.value) and "$22,699.90" in str(error.value)


def test_it_refuses_a_down_payment_equal_to_the_price():
    with pytest.raises(FinancingError) as error:
        financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=48, down_payment=ONIX_PRICE)
    assert error.value.code == "down_payment_too_high"


def test_it_accepts_a_down_payment_a_cent_below_the_price():
    plan = financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=36, down_payment=Decimal("226998.99"))
    assert plan.loan_amount == Decimal("0.01")


@pytest.mark.parametrize("term", [36, 72])
def test_it_accepts_the_term_bounds(term):
    assert financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=term).term_months == term


@pytest.mark.parametrize("term", [35, 73, 24, 84])
def test_it_refuses_a_term_outside_the_range(term):
    with pytest.raises(FinancingError) as error:
        financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=term)
    assert (error.value.code, error.value.terms) == ("term_out_of_range", DEFAULT_TERMS)


def test_it_explains_the_term_range_in_months_and_years():
    with pytest.raises(FinancingError) as error:
        financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=96)
    assert "entre 36 y 72 meses (de 3 a 6 años)" in str(error.value)


@pytest.mark.parametrize("price", [0, -5, "caro"])
def test_it_refuses_a_price_that_is_not_positive(price):
    with pytest.raises(FinancingError) as error:
        financing_plan(price, DEFAULT_TERMS, term_months=48)
    assert error.value.code == "invalid"


def test_it_refuses_a_fractional_term():
    with pytest.raises(FinancingError) as error:
        financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=48.5)
    assert error.value.code == "invalid"


def test_it_serialises_a_plan_for_json():
    plan = financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=48, stock_id="311726")
    assert plan.as_dict() == {
        "stock_id": "311726",
        "price": 226999.0,
        "down_payment": 45399.8,
        "loan_amount": 181599.2,
        "annual_rate": 0.1,
        "term_months": 48,
        "monthly_payment": 4605.82,
        "total_paid": 266479.16,
    }


def test_it_serialises_whole_pesos_as_integers():
    plan = financing_plan(ONIX_PRICE, DEFAULT_TERMS, term_months=48, stock_id="311726").as_dict()
    assert (type(plan["price"]), type(plan["down_payment"])) == (int, float)


def test_it_serialises_money_with_cents_rounded_half_up():
    assert (money_json(Decimal("4605.825")), money_json(253999.0)) == (4605.83, 253999)


@settings(max_examples=200, deadline=None)
@given(
    price=st.decimals(min_value=Decimal("20000"), max_value=Decimal("3000000"), places=0),
    share=st.decimals(min_value=Decimal("0.10"), max_value=Decimal("0.90"), places=2),
    term=st.integers(min_value=36, max_value=72),
)
def test_it_keeps_price_equal_to_down_payment_plus_loan(price, share, term):
    plan = financing_plan(price, DEFAULT_TERMS, term_months=term, down_payment_pct=share)
    assert plan.down_payment + plan.loan_amount == plan.price
    assert plan.total_paid >= plan.price


# --- financing_plans and terms --------------------------------------------------


def test_it_offers_one_plan_per_whole_year_without_a_term():
    plans = financing_plans(ONIX_PRICE, DEFAULT_TERMS)
    assert [plan.term_months for plan in plans] == [36, 48, 60, 72]


def test_it_offers_only_the_stated_term():
    plans = financing_plans(ONIX_PRICE, DEFAULT_TERMS, term_months=60, stock_id="311726")
    assert [(plan.term_months, plan.stock_id) for plan in plans] == [(60, "311726")]


def test_it_offers_the_shortest_term_when_the_range_holds_no_whole_year():
    terms = FinancingTerms(Decimal("0.10"), 38, 46, Decimal("0.20"), Decimal("0.10"))
    assert [plan.term_months for plan in financing_plans(ONIX_PRICE, terms)] == [38]


def test_it_lists_whole_years_inside_an_uneven_range():
    terms = FinancingTerms(Decimal("0.10"), 30, 66, Decimal("0.20"), Decimal("0.10"))
    assert terms.whole_year_terms() == [36, 48, 60]


def test_it_raises_for_a_bad_down_payment_when_offering_every_term():
    with pytest.raises(FinancingError) as error:
        financing_plans(ONIX_PRICE, DEFAULT_TERMS, down_payment_pct=Decimal("1"))
    assert error.value.code == "down_payment_too_high"


@pytest.mark.django_db
def test_it_reads_the_terms_from_an_assistant():
    assistant = AssistantFactory(annual_rate=Decimal("0.1250"), min_term_months=12, max_term_months=48)
    assert FinancingTerms.from_assistant(assistant) == FinancingTerms(
        annual_rate=Decimal("0.125"),
        min_term_months=12,
        max_term_months=48,
        default_down_payment_pct=Decimal("0.2"),
        min_down_payment_pct=Decimal("0.1"),
    )


@pytest.mark.parametrize("budget", ["3500", "6000", "15000", "7250.50"])
def test_it_finds_the_highest_price_a_monthly_budget_affords(budget):
    terms = DEFAULT_TERMS
    price = affordable_price(Decimal(budget), terms)
    assert financing_plan(price, terms, term_months=72).monthly_payment <= Decimal(budget)
    assert financing_plan(price + 1, terms, term_months=72).monthly_payment > Decimal(budget)
