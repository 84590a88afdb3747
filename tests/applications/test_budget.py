"""The budget: totals by category and year, and the call's co-financing rules and amount limits."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from applications.budget import Budget, BudgetDataError, budget_from_json, budget_problems, budget_to_json

DATA = {
    "rows": {"personal": {"2027": "400 000", "2028": "350000"}, "innkjop": {"2027": "250000"}},
    "own_funding": "500000",
    "other_funding": "0",
    "requested": "500000",
}


def test_totals_by_category_and_year():
    budget = budget_from_json(DATA)
    assert budget.total_costs == Decimal(1_000_000)
    assert budget.category_total("personal") == Decimal(750_000)
    assert budget.year_total(2027) == Decimal(650_000)
    assert budget.years == [2027, 2028]
    assert budget.share(budget.own_funding) == Decimal(50)


def test_own_funding_of_exactly_the_minimum_passes_and_one_krone_less_fails():
    budget = budget_from_json(DATA)
    assert budget_problems(budget, own_funding_min_percent=Decimal(50)) == []
    short = budget_from_json({**DATA, "own_funding": "499999", "other_funding": "1"})
    (problem,) = budget_problems(short, own_funding_min_percent=Decimal(50))
    assert problem.code == "own-funding"
    assert "minst 50,0 %" in problem.message and "er 50,0 %" in problem.message  # rounds for display only


def test_the_amount_applied_for_is_what_the_costs_leave_and_a_typed_one_is_not_read():
    budget = budget_from_json({**DATA, "other_funding": "100000", "requested": "999999"})
    assert budget.requested == Decimal(400_000)  # 1 000 000 − 500 000 − 100 000
    assert budget.total_financing == budget.total_costs
    assert budget_to_json(budget)["requested"] == "400000"  # written for readers of the stored shape


def test_financing_above_the_costs_and_amount_limits_are_explained():
    budget = budget_from_json({**DATA, "other_funding": "600000"})
    assert budget.requested == 0
    codes = [p.code for p in budget_problems(budget, min_amount=Decimal(700_000), max_amount=Decimal(2_000_000))]
    assert codes == ["over-financed", "below-minimum"]
    message = budget_problems(budget)[0].message.replace("\u00a0", " ")
    assert "Egenfinansiering og annen finansiering (1 100 000 kr) kan ikke være mer enn kostnadene (1 000 000 kr)" in (
        message
    )
    high = budget_from_json({**DATA, "own_funding": "0"})
    assert [p.code for p in budget_problems(high, max_amount=Decimal(999_999))] == ["above-maximum"]


def test_an_empty_budget_says_so():
    assert [p.code for p in budget_problems(budget_from_json(None))] == ["no-costs"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rows": {"reise": {"2027": "1"}}}, "Ukjent kostnadskategori"),
        ({"rows": {"annet": {"1899": "1"}}}, "Ugyldig år"),
        ({"rows": {"annet": {"2027": "-5"}}}, "kan ikke være negativt"),
        ({"rows": {"annet": {"2027": "mye"}}}, "er ikke et beløp"),
        ({"rows": {"annet": {"2027": "12,5"}}}, "hele kroner"),  # read as 12.5 kr (portal.numbers), not whole
        ({"rows": {"annet": {"2027": "12.5"}}}, "hele kroner"),
        ({"own_funding": "1" + "0" * 13}, "urimelig stort"),
    ],
)
def test_bad_cells_are_named(data, message):
    with pytest.raises(BudgetDataError, match=message):
        budget_from_json(data)


amounts = st.integers(min_value=0, max_value=10**9).map(Decimal)


@given(
    costs=st.dictionaries(
        st.tuples(st.sampled_from(["personal", "innkjop", "utstyr", "annet"]), st.integers(2020, 2035)), amounts
    ),
    own=amounts,
    other=amounts,
)
def test_json_round_trip_and_totals_agree(costs, own, other):
    budget = Budget(costs=costs, own_funding=own, other_funding=other)
    again = budget_from_json(budget_to_json(budget))
    assert again == budget
    assert sum(again.category_total(c) for c in ["personal", "innkjop", "utstyr", "annet"]) == again.total_costs
    assert sum(again.year_total(y) for y in again.years) == again.total_costs
    assert again.requested == max(again.total_costs - own - other, 0)
