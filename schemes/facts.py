"""One source of facts for the eligibility rules: the public check (/sjekk/), the draft's «sjekk hele
søknaden» and the submit all call ``facts_for``.

Where each fact comes from:

- the registry (the organisation): its kind and its public funding share;
- the database: the organisation's other applications that count (``COUNTED_STATES``) to the same
  scheme whose call's deadline falls in the same calendar year as this call's deadline, and to this
  call, at the same stage (see ``counted_applications``);
- the answers: each question whose ``fact`` names a fact (``applications.formdef``);
- the partners (their kinds from the registry) and the budget (own funding share, the amount
  applied for, and that amount as a share of the costs).

Whatever cannot be known stays ``None``: the rule answers «unknown».
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from organisations.models import OrganisationKind

from .eligibility import Facts, PartnerFacts
from .models import CallStage

# Stages that lead to a later application about the same project: never counted beside it.
PRELIMINARY_STAGES = frozenset({CallStage.Kind.SKETCH, CallStage.Kind.PREQUALIFICATION})


def counted_applications(
    *, organisation, scheme, year: int | None, stage: str | None, exclude_application_id: int | None = None
) -> QuerySet:
    """The organisation's other applications that count against «at most N per year» for ``scheme``.

    Counted states only; same scheme; the call's deadline in ``year`` (when given); the same stage:
    an application at stage S counts others at S or without stages, one without a stage counts the
    others without stages or at a stage that is not preliminary (a sketch and the full application
    that follows it are one project, counted once)."""
    from applications.models import Application
    from applications.workflow import COUNTED_STATES

    found = Application.objects.filter(organisation=organisation, call__scheme=scheme, state__in=COUNTED_STATES)
    if year is not None:
        found = found.filter(call__closes_at__year=year)
    if stage:
        found = found.filter(Q(stage__isnull=True) | Q(stage__kind=stage))
    else:
        found = found.filter(Q(stage__isnull=True) | ~Q(stage__kind__in=PRELIMINARY_STAGES))
    if exclude_application_id is not None:
        found = found.exclude(pk=exclude_application_id)
    return found


def facts_from_answers(*, form_definition, answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The facts the questions with a ``fact`` provide (answered ones only)."""
    from applications.formdef import declaration_key

    found: dict[str, Any] = {}
    if form_definition is None or answers is None:
        return found
    declarations: dict[str, Any] = {}
    for _section, question in form_definition.questions():
        if not question.fact:
            continue
        value = answers.get(question.key)
        key = declaration_key(question.fact)
        if key is not None:
            declarations[key] = value
        elif question.fact == "duration_months":
            months = _whole_number(value)
            if months is not None:
                found["duration_months"] = months
        elif isinstance(value, bool):
            found[question.fact] = value
    if declarations and all(isinstance(value, bool) for value in declarations.values()):
        found["confirmed_declarations"] = frozenset(key for key, value in declarations.items() if value)
    return found


def _whole_number(value: Any) -> int | None:
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        return None
    if value is None or isinstance(value, bool) or not number.is_finite() or number < 0:
        return None
    return int(number) if number == number.to_integral_value() else None


def facts_from_budget(budget) -> dict[str, Any]:
    if budget is None:
        return {}
    found: dict[str, Any] = {"requested_amount": budget.requested}
    if budget.total_costs:
        found["own_funding_share"] = min(Decimal(100), budget.own_funding * 100 / budget.total_costs)
        found["support_share"] = min(Decimal(100), budget.requested * 100 / budget.total_costs)
    return found


def _kind(value) -> OrganisationKind | None:
    return OrganisationKind(value) if value in OrganisationKind.values else None


def _partner_kind(partner) -> OrganisationKind | None:
    organisation = getattr(partner, "organisation", partner)
    return _kind(getattr(organisation, "kind", None))


def facts_for(
    *,
    organisation=None,
    call=None,
    scheme=None,
    answers: Mapping[str, Any] | None = None,
    form_definition=None,
    partners: Iterable | None = None,
    budget=None,
    stage: str | None = None,
    exclude_application_id: int | None = None,
) -> Facts:
    """Everything known about an applicant and its project.

    ``organisation``: the registry's organisation (None for an anonymous visitor: no registry facts,
    no counts). ``call``/``scheme``: what the counts are about (the scheme defaults to the call's;
    without a call, the year is this year). ``partners``: application partners (or organisations);
    None when not known. ``budget``: an ``applications.budget.Budget``. ``stage``: a
    ``CallStage.Kind`` value of the application's stage."""
    known: dict[str, Any] = {"stage": stage or None}
    if organisation is not None:
        known["applicant_kind"] = _kind(organisation.kind)
        known["applicant_public_funding_share"] = organisation.public_funding_share
        scheme = scheme if scheme is not None else (call.scheme if call is not None else None)
        if scheme is not None:
            deadline = call.closes_at if call is not None else timezone.now()
            count = {"organisation": organisation, "stage": stage, "exclude_application_id": exclude_application_id}
            year = timezone.localtime(deadline).year
            known["applications_this_year"] = counted_applications(scheme=scheme, year=year, **count).count()
            if call is not None:
                known["applications_this_call"] = (
                    counted_applications(scheme=scheme, year=None, **count).filter(call=call).count()
                )
    if partners is not None:
        known["partners"] = tuple(PartnerFacts(kind=_partner_kind(partner)) for partner in partners)
    known.update(facts_from_budget(budget))
    known.update(facts_from_answers(form_definition=form_definition, answers=answers))
    return Facts(**{name: value for name, value in known.items() if value is not None})
