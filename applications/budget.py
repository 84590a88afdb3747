"""The budget of an application: costs by category × calendar year, and how they are financed.

Pure: no database. The stored shape (an answer of the budget-table question) is

    {"rows": {"personal": {"2027": "400000", "2028": "350000"}, "innkjop": {...}, ...},
     "own_funding": "500000", "other_funding": "0", "requested": "650000"}

with amounts as strings of whole kroner (JSON has no decimals). The amount applied for is not typed:
it is what the costs leave when own and other funding are taken off (``Budget.requested``); the
stored "requested" is written on save for readers of the stored shape and never read back.
``budget_problems`` checks it
against a call's co-financing rules and amount limits; the same function runs while the applicant
types (live) and at submission.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.numbers import NumberError, format_kroner, format_number, parse_norwegian_number

MAX_AMOUNT = Decimal(10) ** 12  # a trillion kroner: anything above is a typing error


class CostCategory(models.TextChoices):
    PERSONNEL = "personal", gettext_lazy("Personal og indirekte kostnader")
    PURCHASED_SERVICES = "innkjop", gettext_lazy("Innkjøp av FoU-tjenester og andre tjenester")
    EQUIPMENT = "utstyr", gettext_lazy("Utstyr")
    OTHER = "annet", gettext_lazy("Andre driftskostnader")


@dataclass(frozen=True)
class Budget:
    costs: Mapping[tuple[str, int], Decimal] = field(default_factory=dict)  # (category, year) -> amount
    own_funding: Decimal = Decimal(0)
    other_funding: Decimal = Decimal(0)

    @property
    def years(self) -> list[int]:
        return sorted({year for _category, year in self.costs})

    def category_total(self, category: str) -> Decimal:
        return sum((a for (c, _y), a in self.costs.items() if c == category), Decimal(0))

    def year_total(self, year: int) -> Decimal:
        return sum((a for (_c, y), a in self.costs.items() if y == year), Decimal(0))

    @property
    def total_costs(self) -> Decimal:
        return sum(self.costs.values(), Decimal(0))

    @property
    def requested(self) -> Decimal:
        """The amount applied for: the costs own and other funding leave (never below zero)."""
        return max(self.total_costs - self.own_funding - self.other_funding, Decimal(0))

    @property
    def over_financed(self) -> bool:
        return self.own_funding + self.other_funding > self.total_costs

    @property
    def total_financing(self) -> Decimal:
        return self.own_funding + self.other_funding + self.requested

    def share(self, amount: Decimal) -> Decimal | None:
        """``amount`` as a percentage of the costs (None when there are no costs)."""
        return None if not self.total_costs else (amount * 100 / self.total_costs)


class BudgetDataError(ValueError):
    """Stored budget data that cannot be read: each message names the cell."""


def _amount(value, where: str) -> Decimal:
    """A cell as the budget page writes it (a string of whole kroner) or as typed («1 250 000 kr»)."""
    try:
        amount = parse_norwegian_number(str(value), whole=True) if str(value).strip() else Decimal(0)
    except NumberError as exc:
        if exc.code == "whole":
            raise BudgetDataError(_("%(where)s: oppgi hele kroner.") % {"where": where}) from exc
        raise BudgetDataError(_("%(where)s: «%(value)s» er ikke et beløp.") % {"where": where, "value": value}) from exc
    if amount < 0:
        raise BudgetDataError(_("%(where)s: beløpet kan ikke være negativt.") % {"where": where})
    if amount >= MAX_AMOUNT:
        raise BudgetDataError(_("%(where)s: beløpet er urimelig stort.") % {"where": where})
    return amount


def budget_from_json(data: Mapping | None) -> Budget:
    data = data or {}
    costs: dict[tuple[str, int], Decimal] = {}
    for category, years in (data.get("rows") or {}).items():
        if category not in CostCategory.values:
            raise BudgetDataError(_("Ukjent kostnadskategori: %(category)s.") % {"category": category})
        for year, value in (years or {}).items():
            if not str(year).isdigit() or not 2000 <= int(year) <= 2100:
                raise BudgetDataError(_("Ugyldig år i budsjettet: %(year)s.") % {"year": year})
            where = f"{CostCategory(category).label} {year}"
            costs[(category, int(year))] = _amount(value, where)
    return Budget(
        costs=costs,
        own_funding=_amount(data.get("own_funding", 0), _("Egenfinansiering")),
        other_funding=_amount(data.get("other_funding", 0), _("Annen finansiering")),
    )


def budget_to_json(budget: Budget) -> dict:
    rows: dict[str, dict[str, str]] = {}
    for (category, year), amount in sorted(budget.costs.items()):
        rows.setdefault(category, {})[str(year)] = str(amount)
    return {
        "rows": rows,
        "own_funding": str(budget.own_funding),
        "other_funding": str(budget.other_funding),
        "requested": str(budget.requested),
    }


def over_financed_message(budget: Budget) -> str:
    return _(
        "Egenfinansiering og annen finansiering (%(funding)s) kan ikke være mer enn kostnadene (%(costs)s). "
        "Omsøkt beløp er kostnadene minus egenfinansiering og annen finansiering."
    ) % {
        "funding": format_kroner(budget.own_funding + budget.other_funding),
        "costs": format_kroner(budget.total_costs),
    }


@dataclass(frozen=True)
class BudgetProblem:
    code: str
    message: str


def budget_problems(
    budget: Budget,
    *,
    own_funding_min_percent: Decimal | None = None,
    min_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
) -> list[BudgetProblem]:
    """What is wrong with the budget under a call's rules (empty when nothing is)."""
    problems = []
    if not budget.total_costs:
        problems.append(BudgetProblem("no-costs", _("Budsjettet har ingen kostnader ennå.")))
        return problems
    if budget.over_financed:
        problems.append(BudgetProblem("over-financed", over_financed_message(budget)))
    if own_funding_min_percent is not None:
        share = budget.share(budget.own_funding)
        if share < own_funding_min_percent:
            problems.append(
                BudgetProblem(
                    "own-funding",
                    _("Egenfinansieringen må være minst %(minimum)s %% av kostnadene, men er %(share)s %%.")
                    % {"minimum": format_number(Decimal(own_funding_min_percent), 1), "share": format_number(share, 1)},
                )
            )
    if min_amount is not None and budget.requested < min_amount:
        problems.append(
            BudgetProblem(
                "below-minimum",
                _("Omsøkt beløp (%(requested)s) er lavere enn utlysningens minstebeløp (%(minimum)s).")
                % {"requested": format_kroner(budget.requested), "minimum": format_kroner(min_amount)},
            )
        )
    if max_amount is not None and budget.requested > max_amount:
        problems.append(
            BudgetProblem(
                "above-maximum",
                _("Omsøkt beløp (%(requested)s) er høyere enn utlysningens største beløp (%(maximum)s).")
                % {"requested": format_kroner(budget.requested), "maximum": format_kroner(max_amount)},
            )
        )
    return problems
