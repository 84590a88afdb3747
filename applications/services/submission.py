"""Checking, submitting, reopening and withdrawing an application.

The deadline is decided here, by the server's clock, to the second: ``now`` is the moment the
request arrived (the view reads it first), compared with the application's deadline under the row
lock. Celery's closing of the call is bookkeeping and plays no part.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schemes.eligibility import Facts, PartnerFacts
from schemes.eligibility.base import Status
from schemes.eligibility.engine import Evaluation, evaluate
from schemes.selectors import EffectiveRules, effective_rules

from ..budget import BudgetDataError, budget_from_json, budget_problems
from ..formdef import problems as form_problems
from ..models import Application, ApplicationVersion, EventKind, ReferenceCounter
from ..permissions import actors_for
from ..workflow import COUNTED_STATES, REOPEN, SUBMIT, WITHDRAW, State, transition
from .common import ApplicationError, display_name, event_record, lock_application, moment
from .drafting import definition_of

VERSION_FORMAT = 1


@dataclass(frozen=True)
class CheckItem:
    """One thing that stops submission, with where to fix it (``section_key``/``question_key``
    empty when it is about the application as a whole, e.g. an eligibility rule)."""

    kind: str  # "form" | "unsaved" | "budget" | "eligibility"
    message: str
    section_key: str = ""
    question_key: str = ""


@dataclass
class SubmissionCheck:
    items: list[CheckItem] = field(default_factory=list)
    evaluation: Evaluation | None = None
    rules: EffectiveRules | None = None

    @property
    def ok(self) -> bool:
        return not self.items


# --- Facts for the eligibility rules ------------------------------------------------------------
def _budgets(application: Application):
    definition = definition_of(application)
    found = []
    for section, question in definition.questions():
        if question.type.key == "budget" and question.key in application.answers:
            try:
                found.append((section, question, budget_from_json(application.answers[question.key])))
            except BudgetDataError:
                continue
    return found


def application_facts(application: Application, *, partners=None) -> Facts:
    """What the application tells the eligibility rules. Unknowns stay ``None`` (the rule answers
    «unknown», which is shown to the officer but does not stop submission)."""
    organisation = application.organisation
    partners = partners if partners is not None else list(application.partners.select_related("organisation"))
    budgets = _budgets(application)
    own_share = requested = None
    if budgets:
        budget = budgets[0][2]
        if budget.total_costs:
            own_share = min(Decimal(100), budget.own_funding * 100 / budget.total_costs)
        requested = budget.requested
    duration = application.answers.get("varighet")
    counted = Application.objects.filter(organisation=organisation, state__in=COUNTED_STATES).exclude(pk=application.pk)
    year = timezone.localtime(application.deadline).year
    return Facts(
        applicant_kind=organisation.kind or None,
        applicant_public_funding_share=organisation.public_funding_share,
        partners=tuple(PartnerFacts(kind=p.organisation.kind or None) for p in partners),
        own_funding_share=own_share,
        requested_amount=requested,
        duration_months=duration if isinstance(duration, int) and duration >= 0 else None,
        applications_this_call=counted.filter(call=application.call_id).count(),
        applications_this_year=counted.filter(call__closes_at__year=year).count(),
    )


def submission_check(application: Application) -> SubmissionCheck:
    """Everything that stops submission: unanswered or invalid answers («sjekk hele søknaden»),
    typed values that were never accepted, the call's budget rules, and eligibility rules that fail
    under the call's current rule versions."""
    check = SubmissionCheck()
    definition = definition_of(application)
    where = {q.key: s.key for s, q in definition.questions()}
    for key in application.pending_input:
        if key in where:
            check.items.append(CheckItem("unsaved", _("Det du skrev her er ikke godtatt ennå."), where[key], key))
    for problem in form_problems(definition, application.answers):
        if problem.question_key not in application.pending_input:
            check.items.append(CheckItem("form", problem.message, problem.section_key, problem.question_key))
    call = application.call
    for section, question, budget in _budgets(application):
        for problem in budget_problems(
            budget,
            own_funding_min_percent=call.own_funding_min_percent,
            min_amount=call.min_amount,
            max_amount=call.max_amount,
        ):
            if problem.code != "no-costs":  # an empty budget is already «Må fylles ut»
                check.items.append(CheckItem("budget", problem.message, section.key, question.key))
    check.rules = effective_rules(scheme=call.scheme, call=call)
    check.evaluation = evaluate(rules=check.rules.rules, facts=application_facts(application))
    for outcome in check.evaluation.with_status(Status.FAILS):
        check.items.append(CheckItem("eligibility", str(outcome.explanation)))
    return check


# --- Freezing a version ---------------------------------------------------------------------------
def _evaluation_json(evaluation: Evaluation) -> dict:
    """The verdict and each rule's status as codes (the pages show their labels), and each
    explanation in bokmål (``explanation``, the record) and in every language of the portal
    (``explanations``, so a reader of another language reads it in theirs)."""

    def explanations(outcome) -> dict[str, str]:
        texts = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                texts[code] = str(outcome.explanation)
        return texts

    with translation.override("nb"):
        return {
            "verdict": str(evaluation.verdict),
            "outcomes": [
                {
                    "rule": outcome.rule.type.key,
                    "status": str(outcome.status),
                    "explanation": str(outcome.explanation),
                    "explanations": explanations(outcome),
                }
                for outcome in evaluation.outcomes
            ],
        }


def _version_content(application: Application, *, number: int, by_user, now: datetime, check: SubmissionCheck) -> dict:
    partners = application.partners.select_related("organisation").order_by("added_at", "pk")
    files = application.files.filter(attached=True).select_related("stored_file").order_by("added_at", "pk")
    organisation = application.organisation
    return {
        "format": VERSION_FORMAT,
        "reference": application.reference,
        "number": number,
        "submitted_at": now.isoformat(),
        "submitted_by": {"id": by_user.pk, "name": display_name(by_user), "email": by_user.email},
        "deadline": application.deadline.isoformat(),
        "call": {"id": application.call_id, "slug": application.call.slug, "title": application.call.title},
        "stage": application.stage.kind if application.stage_id else None,
        "applicant": {"org_number": organisation.org_number, "name": organisation.name, "kind": organisation.kind},
        "title": application.title,
        "form_sha256": application.form.get("sha256", ""),
        "form": application.form.get("definition", {}),
        "answers": application.answers,
        "partners": [
            {
                "org_number": p.organisation.org_number,
                "name": p.organisation.name,
                "kind": p.organisation.kind,
                "role": p.role,
                "question": p.question_key,
            }
            for p in partners
        ],
        "attachments": [
            {
                "question": f.question_key,
                "file_id": str(f.stored_file_id),
                "name": f.stored_file.display_name,
                "size": f.stored_file.size,
                "sha256": f.stored_file.sha256,
            }
            for f in files
        ],
        "rule_versions": check.rules.versions if check.rules else {},
        "eligibility": _evaluation_json(check.evaluation) if check.evaluation else None,
    }


def _content_sha256(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def reference_next(*, application: Application) -> str:
    """``2026-IPOS-00042``: the call's deadline year, the scheme's code and the next number for the
    pair. Call inside the submitting transaction: the counter row stays locked until it commits,
    so numbers are unique and no two submissions get the same one."""
    year = timezone.localtime(application.call.closes_at).year
    code = application.call.scheme.code_for_references
    ReferenceCounter.objects.get_or_create(year=year, code=code)
    ReferenceCounter.objects.filter(year=year, code=code).update(last=F("last") + 1)
    number = ReferenceCounter.objects.values_list("last", flat=True).get(year=year, code=code)
    return f"{year}-{code}-{number:05d}"


class SubmissionRefused(ApplicationError):
    def __init__(self, message: str, *, code: str = "", check: SubmissionCheck | None = None) -> None:
        super().__init__(message, code=code)
        self.check = check


def _require_transition(name: str, application: Application, *, user) -> None:
    from .transitions import transition_check

    transition_check(application, name=name, actors=actors_for(user, application))


def application_submit(*, application_id: int, by_user, now: datetime) -> ApplicationVersion:
    """Submit (or resubmit) the application as it is now. ``now`` is when the request arrived.

    One transaction under the row lock: a second submit (double click, another tab) waits, then
    finds the application already submitted and is refused without a second version. Raises
    ``SubmissionRefused`` (late, not allowed, or with the check's items); nothing is written then."""
    from ..notifications import receipts_arm

    with transaction.atomic():
        application = lock_application(application_id)
        if application.state == State.SUBMITTED:
            raise SubmissionRefused(_("Søknaden er allerede sendt inn."), code="already")
        try:
            _require_transition(SUBMIT, application, user=by_user)
        except ApplicationError as error:
            raise SubmissionRefused(error.message, code=error.code) from None
        if now > application.deadline:
            raise SubmissionRefused(
                _("Fristen var %(deadline)s. Søknaden kom %(now)s og kan ikke sendes inn.")
                % {"deadline": moment(application.deadline), "now": moment(now)},
                code="late",
            )
        check = submission_check(application)
        if not check.ok:
            raise SubmissionRefused(
                _("Søknaden kan ikke sendes inn ennå. Rett opp dette først:"), code="problems", check=check
            )
        resubmission = application.versions.exists()
        if not application.reference:
            application.reference = reference_next(application=application)
        number = (application.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        content = _version_content(application, number=number, by_user=by_user, now=now, check=check)
        version = ApplicationVersion(
            application=application,
            number=number,
            submitted_at=now,
            submitted_by=by_user,
            content=content,
            content_sha256=_content_sha256(content),
        )
        version.save()
        from_state = application.state
        application.state = transition(SUBMIT).target
        application.submitted_at = now
        application.approval_requested_at = None
        application.save(update_fields=["state", "reference", "submitted_at", "approval_requested_at"])
        event_record(
            application,
            EventKind.RESUBMITTED if resubmission else EventKind.SUBMITTED,
            actor=by_user,
            from_state=from_state,
            to_state=application.state,
            at=now,
            data={"version": number, "reference": application.reference},
        )
        receipts_arm(version=version, submitter=by_user)
    return version


def application_reopen(*, application_id: int, by_user, now: datetime) -> Application:
    """Open a submitted application for changes before the deadline. The submitted version still
    counts until a new one is sent; at the deadline it is the one that counts."""
    with transaction.atomic():
        application = lock_application(application_id)
        _require_transition(REOPEN, application, user=by_user)
        if now > application.deadline:
            raise ApplicationError(
                _("Fristen var %(deadline)s. Søknaden kan ikke endres etter fristen.")
                % {"deadline": moment(application.deadline)},
                code="late",
            )
        from_state = application.state
        application.state = transition(REOPEN).target
        application.save(update_fields=["state"])
        event_record(
            application, EventKind.REOPENED, actor=by_user, from_state=from_state, to_state=application.state, at=now
        )
    return application


def application_withdraw(*, application_id: int, by_user, reason: str, now: datetime | None = None) -> Application:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Skriv hvorfor søknaden trekkes."), code="reason")
    with transaction.atomic():
        application = lock_application(application_id)
        _require_transition(WITHDRAW, application, user=by_user)
        if now > application.deadline and transition(WITHDRAW).closed_by_deadline(application.state):
            raise ApplicationError(
                _(
                    "Fristen var %(deadline)s. Utkastet ble ikke sendt inn og lukkes ved fristen, så det er "
                    "ingenting å trekke."
                )
                % {"deadline": moment(application.deadline)},
                code="late",
            )
        from_state = application.state
        application.state = transition(WITHDRAW).target
        application.withdrawn_at, application.withdrawal_reason = now, reason[:2000]
        application.save(update_fields=["state", "withdrawn_at", "withdrawal_reason"])
        event_record(
            application,
            EventKind.WITHDRAWN,
            actor=by_user,
            from_state=from_state,
            to_state=application.state,
            at=now,
            data={"reason": reason[:2000]},
        )
    return application
