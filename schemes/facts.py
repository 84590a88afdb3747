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
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from organisations.models import OrganisationKind

from .eligibility import Facts, PartnerFacts
from .models import CallStage

# Stages that lead to a later application about the same project: never counted beside it.
PRELIMINARY_STAGES = frozenset({CallStage.Kind.SKETCH, CallStage.Kind.PREQUALIFICATION})


@dataclass(frozen=True, slots=True)
class CountedApplication:
    """One of the organisation's applications that counts (``COUNTED_STATES``), as the counts need it."""

    pk: int
    scheme_id: int
    call_id: int
    year: int  # of its call's deadline, in Norwegian time
    stage: str | None


COUNT_FACTS = frozenset({"applications_this_call", "applications_this_year"})


def counted_applications(*, organisation, scheme_ids: Iterable[int] | None = None) -> list[CountedApplication]:
    """The organisation's applications in counted states (to these schemes): one query."""
    from applications.models import Application
    from applications.workflow import COUNTED_STATES

    found = Application.objects.filter(organisation=organisation, state__in=COUNTED_STATES)
    if scheme_ids is not None:
        found = found.filter(call__scheme_id__in=list(scheme_ids))
    rows = found.values_list("pk", "call__scheme_id", "call_id", "call__closes_at", "stage__kind")
    return [
        CountedApplication(pk, scheme_id, call_id, timezone.localtime(closes_at).year, stage or None)
        for pk, scheme_id, call_id, closes_at, stage in rows
    ]


def same_stage(other: str | None, stage: str | None) -> bool:
    """Whether an application at stage ``other`` counts beside one at ``stage``: at stage S, the
    others at S or without stages; without a stage, the others without stages or at a stage that is
    not preliminary (a sketch and the full application after it are one project, counted once)."""
    if other is None:
        return True
    if stage:
        return other == stage
    return other not in PRELIMINARY_STAGES


def application_counts(
    applications: Iterable[CountedApplication],
    *,
    scheme_id: int,
    call_id: int | None,
    year: int,
    stage: str | None,
    exclude_application_id: int | None = None,
) -> tuple[int, int | None]:
    """(applications this year, applications to this call): the other counted applications to the
    same scheme whose call's deadline is in ``year``, at the same stage; and of those, the ones to
    the same call (None without a call)."""
    same = [
        a for a in applications
        if a.scheme_id == scheme_id and a.pk != exclude_application_id and same_stage(a.stage, stage)
    ]  # fmt: skip
    this_year = sum(1 for a in same if a.year == year)
    this_call = sum(1 for a in same if a.call_id == call_id) if call_id is not None else None
    return this_year, this_call


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
    counted: list[CountedApplication] | None = None,
    with_counts: bool = True,
) -> Facts:
    """Everything known about an applicant and its project.

    ``organisation``: the registry's organisation (None for an anonymous visitor: no registry facts,
    no counts). ``call``/``scheme``: what the counts are about (the scheme defaults to the call's;
    without a call, the year is this year). ``partners``: application partners (or organisations);
    None when not known. ``budget``: an ``applications.budget.Budget``. ``stage``: a
    ``CallStage.Kind`` value of the application's stage. ``counted``: the organisation's
    ``counted_applications`` when already loaded (the check loads them once for every scheme).
    ``with_counts`` False: the counts are left unknown, and not queried (no rule asks for them)."""
    known: dict[str, Any] = {"stage": stage or None}
    if organisation is not None:
        known["applicant_kind"] = _kind(organisation.kind)
        known["applicant_public_funding_share"] = organisation.public_funding_share
        scheme = scheme if scheme is not None else (call.scheme if call is not None else None)
        if scheme is not None and with_counts:
            if counted is None:
                counted = counted_applications(organisation=organisation, scheme_ids=[scheme.pk])
            deadline = call.closes_at if call is not None else timezone.now()
            this_year, this_call = application_counts(
                counted, scheme_id=scheme.pk, call_id=call.pk if call is not None else None,
                year=timezone.localtime(deadline).year, stage=stage, exclude_application_id=exclude_application_id,
            )  # fmt: skip
            known["applications_this_year"] = this_year
            known["applications_this_call"] = this_call
    if partners is not None:
        known["partners"] = tuple(PartnerFacts(kind=_partner_kind(partner)) for partner in partners)
    known.update(facts_from_budget(budget))
    if form_definition is not None and answers is not None:
        # The rules read only answers to questions that apply (their conditions hold).
        from applications.formdef import applicable_answers, facts_of
        from applications.formdef.conditions import own_funding_share

        kinds = [kind.value for kind in (_partner_kind(p) for p in (partners or ())) if kind is not None]
        answers = applicable_answers(
            form_definition,
            answers,
            facts_of(organisation_kind=organisation.kind if organisation is not None else None, stage=stage,
                     partner_kinds=kinds, own_funding_share=own_funding_share(form_definition, answers)),
        )  # fmt: skip
    known.update(facts_from_answers(form_definition=form_definition, answers=answers))
    return Facts(**{name: value for name, value in known.items() if value is not None})
