"""Stored answers as text people read (the read-only view, the conflict view, the PDF receipt),
in the active language."""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.numbers import format_kroner, format_number
from schemes.eligibility.text import LocalizedText

from .budget import BudgetDataError, CostCategory, budget_from_json
from .formdef import Question
from .models import PartnerRole
from .workflow import EDITABLE_STATES, State


def long_moment(value: datetime) -> str:
    """A moment as the portal writes it in prose, in Norwegian time: «1. september 2027 kl. 13:00»,
    in English «1 September 2027, 13:00» (day before month in every language)."""
    local = timezone.localtime(value)
    day = date_format(local, "DATE_FORMAT")  # the language's own (portal/formats): day before month
    return pgettext("long moment", "%(date)s kl. %(time)s") % {"date": day, "time": local.strftime("%H:%M")}


def after_deadline(application, *, now: datetime, is_member: bool) -> dict | None:
    """For an application still open on the applicant's side when its deadline has passed (the
    scheduler closes it soon after): what happened and what the person can still do. None otherwise."""
    if application.state not in EDITABLE_STATES or now <= application.deadline:
        return None
    if application.state == State.REOPENED:
        happened = _(
            "Endringene etter at søknaden ble åpnet, ble ikke sendt inn. Den siste innsendte versjonen gjelder, "
            "og den går videre til behandling."
        )
    else:
        happened = _("Søknaden ble ikke sendt inn, og den kan ikke lenger sendes inn, endres eller trekkes.")
    scheme = application.call.scheme
    agencies = ", ".join(agency.name for agency in scheme.agencies.all())
    return {
        "title": _("Fristen gikk ut %(deadline)s.") % {"deadline": long_moment(application.deadline)},
        "happened": happened,
        "detail_url": reverse("application-detail", args=[application.pk]),
        "copy_url": reverse("application-copy", args=[application.pk]) if is_member else "",
        "scheme_url": reverse("scheme-detail", args=[scheme.slug]),
        "agencies": agencies,
    }


def _choice_label(question: Question, value: str) -> str:
    for choice in question.params.get("choices", ()):
        if choice.get("value") == value:
            try:
                return str(LocalizedText.from_json(choice["label"]))
            except (ValueError, KeyError, TypeError):
                break
    return str(value)


def answer_text(question: Question, value: Any, *, partner_names: Mapping[str, str] | None = None) -> str:
    """One answer as a line (or paragraph) of text; «—» when not answered."""
    if not question.is_answered(value):
        return "—"
    kind = question.type.key
    if kind == "amount" and isinstance(value, int | str):
        return format_kroner(Decimal(str(value)))
    if kind == "number":
        return format_number(Decimal(str(value)))
    if kind == "date" and isinstance(value, str):
        try:
            return date_format(date.fromisoformat(value), "d.m.Y")
        except ValueError:
            return value
    if kind == "yes-no":
        return _("Ja") if value else _("Nei")
    if kind == "single-choice":
        return _choice_label(question, value)
    if kind == "multiple-choice" and isinstance(value, list):
        return "; ".join(_choice_label(question, v) for v in value)
    if kind == "partners" and isinstance(value, list):
        names = partner_names or {}
        roles = dict(PartnerRole.choices)
        return "; ".join(
            f"{names.get(p.get('org_number'), p.get('org_number'))} ({roles.get(p.get('role'), '')})"
            for p in value
            if isinstance(p, Mapping)
        )
    if kind == "budget":
        try:
            budget = budget_from_json(value)
        except BudgetDataError as error:
            return str(error)
        return _("Kostnader %(costs)s; egenfinansiering %(own)s; annen finansiering %(other)s; omsøkt %(req)s") % {
            "costs": format_kroner(budget.total_costs),
            "own": format_kroner(budget.own_funding),
            "other": format_kroner(budget.other_funding),
            "req": format_kroner(budget.requested),
        }
    if kind == "attachment":
        files = value if isinstance(value, list) else [value]
        return "; ".join(str(f.get("name", "")) for f in files if isinstance(f, Mapping))
    return str(value)


def budget_rows(value: Any) -> dict | None:
    """The budget as rows for a table, every value already text: ``{"years": ["2027", ...],
    "rows": [(label, [amounts], total)], ...}``."""
    try:
        budget = budget_from_json(value)
    except BudgetDataError:
        return None
    years = budget.years
    rows = []
    for category in CostCategory:
        if any((category.value, y) in budget.costs for y in years):
            amounts = [format_kroner(budget.costs.get((category.value, y), Decimal(0))) for y in years]
            rows.append((category.label, amounts, format_kroner(budget.category_total(category.value))))
    return {
        "years": [str(year) for year in years],  # a year is text: a template would print 2027 as «2 027»
        "rows": rows,
        "year_totals": [format_kroner(budget.year_total(y)) for y in years],
        "total": format_kroner(budget.total_costs),
        "own_funding": format_kroner(budget.own_funding),
        "other_funding": format_kroner(budget.other_funding),
        "requested": format_kroner(budget.requested),
    }
