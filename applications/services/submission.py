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
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schemes.eligibility import Facts
from schemes.eligibility.base import Status
from schemes.eligibility.engine import Evaluation, RuleOutcome, evaluate
from schemes.facts import COUNT_FACTS, facts_for
from schemes.selectors import EffectiveRules, effective_rules

from ..budget import BudgetDataError, budget_from_json, budget_problems
from ..formdef import FormDefinition, applicable_answers, applicable_keys
from ..formdef import problems as form_problems
from ..models import Application, ApplicationVersion, EventKind, ReferenceCounter
from ..permissions import actors_for, can_edit_application, is_applicant_member
from ..publicity import PUBLIC_PARTS
from ..workflow import REOPEN, SUBMIT, WITHDRAW, State, transition
from .common import ApplicationError, condition_facts, display_name, event_record, lock_application, moment
from .drafting import definition_of
from .transitions import transition_hooks_run

VERSION_FORMAT = 1


@dataclass(frozen=True)
class CheckItem:
    """One thing that stops submission, with where to fix it (``section_key``/``question_key``
    empty when it is about the application as a whole; ``url`` for a page outside the application,
    e.g. the organisation's page for registry facts)."""

    kind: str  # "form" | "unsaved" | "budget" | "eligibility" | "eligibility-unknown" | "justification"
    message: str
    section_key: str = ""
    question_key: str = ""
    url: str = ""


@dataclass(frozen=True)
class SoftWarning:
    """A soft rule («normally …») the application does not meet: it may be submitted with a written
    justification, which the officer reads in the formal check."""

    identity: str
    message: str
    justification: str = ""

    FIELD_PREFIX = "begrunnelse-"

    @property
    def field_name(self) -> str:
        return self.FIELD_PREFIX + hashlib.sha256(self.identity.encode()).hexdigest()[:12]


@dataclass
class SubmissionCheck:
    items: list[CheckItem] = field(default_factory=list)
    evaluation: Evaluation | None = None
    rules: EffectiveRules | None = None
    warnings: list[SoftWarning] = field(default_factory=list)
    officer_items: list[RuleOutcome] = field(default_factory=list)
    # The application's form as read for the check, and what its conditions saw: the version
    # submitted after the check is built from the same reading.
    definition: FormDefinition | None = None
    conditions: dict | None = None

    @property
    def ok(self) -> bool:
        return not self.items


# --- Facts for the eligibility rules ------------------------------------------------------------
def _budgets(application: Application, *, definition=None, conditions=None):
    """(section, question, budget) of each budget question that applies. ``definition`` and
    ``conditions`` (``condition_facts``) when the caller has read them already."""
    definition = definition or definition_of(application)
    if conditions is None:
        conditions = condition_facts(application, definition)
    answers = applicable_answers(definition, application.answers, conditions)
    found = []
    for section, question in definition.questions():
        if question.type.key == "budget" and question.key in answers:
            try:
                found.append((section, question, budget_from_json(application.answers[question.key])))
            except BudgetDataError:
                continue
    return found


def requested_amount(application: Application) -> Decimal | None:
    """The amount applied for: the first budget's (costs less own and other funding), or None when
    the form has no budget that applies (StimuLab asks for none)."""
    budgets = _budgets(application)
    return budgets[0][2].requested if budgets else None


def application_facts(application: Application, *, partners=None, rules=None, definition=None,
                      conditions=None) -> Facts:  # fmt: skip
    """What the application tells the eligibility rules (``schemes.facts.facts_for``). ``rules``:
    the rules that will read them, when known; the organisation's earlier applications are then
    counted only if one of them asks. ``definition`` and ``conditions``: as for ``_budgets``."""
    definition = definition or definition_of(application)
    budgets = _budgets(application, definition=definition, conditions=conditions)
    with_counts = rules is None or any(rule.type.facts_used & COUNT_FACTS for rule in rules)
    return facts_for(
        organisation=application.organisation,
        call=application.call,
        answers=application.answers,
        form_definition=definition,
        partners=partners if partners is not None else list(application.partners.select_related("organisation")),
        budget=budgets[0][2] if budgets else None,
        stage=application.stage.kind if application.stage_id else None,
        exclude_application_id=application.pk,
        with_counts=with_counts,
    )


# Facts that only the registry gives: fixed on the organisation's page, not in the application.
REGISTRY_FACTS = frozenset({"applicant_kind", "applicant_public_funding_share"})
BUDGET_FACTS = frozenset({"own_funding_share", "requested_amount", "support_share"})
QUESTION_FACTS = frozenset({"duration_months", "candidate_permanently_employed", "candidate_has_doctorate",
                            "previous_stage_completed"})  # fmt: skip


def _where_to_fix(application: Application, definition, outcome: RuleOutcome) -> tuple[str, str, str, str]:
    """(section key, question key, url, advice) for a rule still unknown at submit."""
    used = outcome.rule.type.facts_used
    if used & REGISTRY_FACTS:
        url = reverse("organisation-detail", args=[application.organisation.org_number])
        return "", "", url, _("Oppdater organisasjonens opplysninger, eller kontakt saksbehandler for utlysningen.")
    for fact in sorted(used):
        wanted = None
        if fact == "confirmed_declarations":
            key = getattr(outcome.rule.params, "key", "")
            found = definition.question_for_fact(f"declaration:{key}")
        elif fact in QUESTION_FACTS:
            found = definition.question_for_fact(fact)
        else:
            wanted = "partners" if fact == "partners" else ("budget" if fact in BUDGET_FACTS else None)
            found = next(((s, q) for s, q in definition.questions() if q.type.key == wanted), None) if wanted else None
        if found is not None:
            return found[0].key, found[1].key, "", _("Svar på spørsmålet.")
    return "", "", "", _("Søknadsskjemaet spør ikke om dette. Kontakt saksbehandler for utlysningen.")


def submission_check(application: Application, *, partners=None) -> SubmissionCheck:
    """Everything that stops submission: unanswered or invalid answers («sjekk hele søknaden»),
    typed values that were never accepted, the call's budget rules, and the eligibility rules under
    the call's current rule versions: a hard rule that fails, a rule still unknown (with where to
    fix it), a soft rule that fails without a justification. Rules only an officer can judge never
    stop it: they become items in the formal check (``officer_items``). ``partners``: the
    application's partners with their organisations, when already loaded."""
    check = SubmissionCheck()
    definition = check.definition = definition_of(application)
    where = {q.key: s.key for s, q in definition.questions()}
    facts = check.conditions = condition_facts(application, definition, partners=partners)
    applies = applicable_keys(definition, application.answers, facts)
    for key in application.pending_input:
        if key in where and key in applies:
            check.items.append(CheckItem("unsaved", _("Det du skrev her er ikke godtatt ennå."), where[key], key))
    for problem in form_problems(definition, application.answers, facts):
        if problem.question_key not in application.pending_input:
            check.items.append(CheckItem("form", problem.message, problem.section_key, problem.question_key))
    call = application.call
    for section, question, budget in _budgets(application, definition=definition, conditions=facts):
        for problem in budget_problems(
            budget,
            own_funding_min_percent=call.own_funding_min_percent,
            min_amount=call.min_amount,
            max_amount=call.max_amount,
        ):
            if problem.code != "no-costs":  # an empty budget is already «Må fylles ut»
                check.items.append(CheckItem("budget", problem.message, section.key, question.key))
    check.rules = effective_rules(scheme=call.scheme, call=call)
    check.evaluation = evaluate(
        rules=check.rules.rules,
        facts=application_facts(
            application, partners=partners, rules=check.rules.rules, definition=definition, conditions=facts
        ),
    )
    justifications = application.justifications if isinstance(application.justifications, dict) else {}
    for outcome in check.evaluation.outcomes:
        if outcome.status == Status.FAILS and outcome.rule.is_soft:
            text = str(justifications.get(outcome.rule.identity) or "").strip()
            warning = SoftWarning(outcome.rule.identity, str(outcome.explanation), text)
            check.warnings.append(warning)
            if not text:
                message = _("%(rule)s Skriv en begrunnelse for avviket under «Begrunnelser».") % {
                    "rule": outcome.explanation
                }
                check.items.append(CheckItem("justification", message))
        elif outcome.status == Status.FAILS:
            check.items.append(CheckItem("eligibility", str(outcome.explanation)))
        elif outcome.status == Status.UNKNOWN and outcome.rule.type.decided_by_officer:
            check.officer_items.append(outcome)
        elif outcome.status == Status.UNKNOWN:
            section_key, question_key, url, advice = _where_to_fix(application, definition, outcome)
            check.items.append(
                CheckItem("eligibility-unknown", f"{outcome.explanation} {advice}", section_key, question_key, url)
            )
    return check


def application_justify(*, application_id: int, by_user, justifications: dict[str, str]) -> Application:
    """Keep the applicant's justifications for soft rules it does not meet (rule identity → text),
    also when the submit is then refused, so nothing typed is lost."""
    with transaction.atomic():
        application = lock_application(application_id)
        if not can_edit_application(by_user, application):
            raise ApplicationError(_("Søknaden kan ikke endres nå."), code="state")
        stored = dict(application.justifications or {})
        for identity, text in justifications.items():
            text = (text or "").strip()[:4000]
            if text:
                stored[identity] = text
            else:
                stored.pop(identity, None)
        application.justifications = stored
        application.save(update_fields=["justifications"])
    return application


def application_publicity_choose(*, application_id: int, by_user, public_parts: set[str]) -> Application:
    """Keep what the applicant lets the project bank show if the application is funded
    (``publicity.PUBLIC_PARTS``; every part not in ``public_parts`` stays out). Chosen on the
    submit page; the submit keeps it itself (``application_submit``'s ``public_parts``)."""
    with transaction.atomic():
        application = lock_application(application_id)
        if not can_edit_application(by_user, application):
            raise ApplicationError(_("Søknaden kan ikke endres nå."), code="state")
        if _publicity_set(application, by_user, public_parts):
            application.save(update_fields=["publicity"])
    return application


def _publicity_set(application: Application, by_user, public_parts: set[str]) -> bool:
    """Set the choice on the locked row if the person may edit it; True if it changed (to be saved)."""
    if not can_edit_application(by_user, application):
        return False
    chosen = {part: part in public_parts for part in PUBLIC_PARTS}
    if chosen == application.publicity:
        return False
    application.publicity = chosen
    return True


# --- Freezing a version ---------------------------------------------------------------------------
def _evaluation_json(evaluation: Evaluation, justifications: dict | None = None) -> dict:
    """The verdict and each rule's status as codes (the pages show their labels), and each
    explanation in bokmål (``explanation``, the record) and in every language of the portal
    (``explanations``, so a reader of another language reads it in theirs). Each outcome names its
    rule's ``identity`` and ``severity``; a soft rule that fails carries the applicant's
    ``justification``; a rule the officer judges is marked ``officer`` with its ``statement``s."""

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
                _outcome_json(outcome, explanations(outcome), justifications or {}) for outcome in evaluation.outcomes
            ],
        }


def _outcome_json(outcome: RuleOutcome, explanations: dict[str, str], justifications: dict) -> dict:
    data = {
        "rule": outcome.rule.type.key,
        "identity": outcome.rule.identity,
        "severity": str(outcome.rule.severity),
        "status": str(outcome.status),
        "explanation": str(outcome.explanation),
        "explanations": explanations,
    }
    if outcome.status == Status.FAILS and outcome.rule.is_soft:
        data["justification"] = str(justifications.get(outcome.rule.identity) or "")
    if outcome.rule.type.decided_by_officer:
        data["officer"] = True
        data["statements"] = outcome.rule.params.statement._asdict()
    return data


def _partners_of(application: Application) -> list:
    return list(application.partners.select_related("organisation").order_by("added_at", "pk"))


def _version_content(
    application: Application, *, number: int, by_user, now: datetime, check: SubmissionCheck, partners: list
) -> dict:
    files = application.files.filter(attached=True).select_related("stored_file").order_by("added_at", "pk")
    organisation = application.organisation
    definition = check.definition  # as the check read it, with what its conditions saw
    return {
        "format": VERSION_FORMAT,
        "reference": application.reference,
        "number": number,
        "submitted_at": now.isoformat(),
        "submitted_by": {"id": by_user.pk, "name": display_name(by_user), "email": by_user.email},
        "deadline": application.deadline.isoformat(),
        # The title in every language, so the receipt reads in its reader's (portal.localized).
        "call": {
            "id": application.call_id,
            "slug": application.call.slug,
            "title": application.call.title,
            "title_nn": application.call.title_nn,
            "title_en": application.call.title_en,
        },
        "stage": application.stage.kind if application.stage_id else None,
        "applicant": {"org_number": organisation.org_number, "name": organisation.name, "kind": organisation.kind},
        "title": application.title,
        "form_sha256": application.form.get("sha256", ""),
        "form": application.form.get("definition", {}),
        # Only what applies: an answer to a question whose condition does not hold stays in the
        # draft but is not part of what was submitted (nor of the receipt and the officer's view).
        "answers": applicable_answers(definition, application.answers, check.conditions),
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
        "eligibility": _evaluation_json(check.evaluation, application.justifications) if check.evaluation else None,
    }


def _content_sha256(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def reference_next(*, application: Application) -> str:
    """``2026-IPOS-00042``: the call's deadline year, the scheme's code and the next number for the
    pair, gapless. Call it as the submitting transaction's last step but its inserts: the counter
    row stays locked from this ``UPDATE … RETURNING`` until the commit, so numbers are unique and
    a refused or failed submit takes none, while the check and the version's content are built
    before it, outside the lock (PostgreSQL and SQLite alike)."""
    year = timezone.localtime(application.call.closes_at).year
    code = application.call.scheme.code_for_references
    number = _counter_increment(year, code)
    if number is None:
        ReferenceCounter.objects.get_or_create(year=year, code=code)
        number = _counter_increment(year, code)
    return f"{year}-{code}-{number:05d}"


def _counter_increment(year: int, code: str) -> int | None:
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE year = %s AND code = %s RETURNING last",  # noqa: S608
            [year, code],
        )
        row = cursor.fetchone()
    return row[0] if row else None


class NotApplicantMember(ApplicationError):
    """The person is not a member of the applicant organisation (``application_submit``'s
    ``members_only``)."""


class SubmissionRefused(ApplicationError):
    def __init__(self, message: str, *, code: str = "", check: SubmissionCheck | None = None) -> None:
        super().__init__(message, code=code)
        self.check = check


def _require_transition(name: str, application: Application, *, user) -> None:
    from .transitions import transition_check

    transition_check(application, name=name, actors=actors_for(user, application, among=transition(name).actors))


def application_submit(
    *,
    application_id: int,
    by_user,
    now: datetime,
    justifications: dict[str, str] | None = None,
    public_parts: set[str] | None = None,
    members_only: bool = False,
) -> ApplicationVersion:
    """Submit (or resubmit) the application as it is now. ``now`` is when the request arrived.
    ``justifications`` are those typed on the submit page, by field name (``SoftWarning.field_name``),
    and ``public_parts`` what the bank may show (``application_publicity_choose``; None: not
    chosen on this page): both kept first, in the same transaction, also when the submit is then refused.
    ``members_only``: someone not of the applicant organisation gets ``NotApplicantMember``, before
    anything is written (the view then answers 404 or 403, as for any page of the application).

    One transaction under the row lock: a second submit (double click, another tab) waits, then
    finds the application already submitted and is refused without a second version. Raises
    ``SubmissionRefused`` (late, not allowed, or with the check's items); nothing but the typed
    justifications is written then. The check runs once; the reference number is taken last
    (``reference_next``), so the counter row is locked only for the inserts and the commit."""
    from ..notifications import receipt_recipients, receipts_arm

    refused = None
    with transaction.atomic():
        application = lock_application(application_id)
        if members_only and not is_applicant_member(by_user, application):
            raise NotApplicantMember(_("Bare søkerorganisasjonen kan gjøre dette."), code="forbidden")
        if justifications:
            _justifications_keep(application, by_user=by_user, typed=justifications)
        publicity_changed = public_parts is not None and _publicity_set(application, by_user, public_parts)
        refused = _submit_refusal(application, by_user=by_user, now=now)
        if refused is None:
            partners = _partners_of(application)
            check = submission_check(application, partners=partners)
            if not check.ok:
                refused = SubmissionRefused(
                    _("Søknaden kan ikke sendes inn ennå. Rett opp dette først:"), code="problems", check=check
                )
        if refused is None:
            previous = application.versions.order_by("-number").values_list("number", flat=True).first()
            resubmission, number = previous is not None, (previous or 0) + 1
            content = _version_content(
                application, number=number, by_user=by_user, now=now, check=check, partners=partners
            )
            recipients = receipt_recipients(organisation_id=application.organisation_id, submitter=by_user)
            if not application.reference:
                # Last but the writes: the counter row stays locked from here to the commit.
                application.reference = reference_next(application=application)
            content["reference"] = application.reference
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
            application.save(
                update_fields=["state", "reference", "submitted_at", "approval_requested_at"]
                + (["publicity"] if publicity_changed else [])
            )
            event_record(
                application,
                EventKind.RESUBMITTED if resubmission else EventKind.SUBMITTED,
                actor=by_user,
                from_state=from_state,
                to_state=application.state,
                at=now,
                data={"version": number, "reference": application.reference},
            )
            receipts_arm(version=version, recipients=recipients)
        elif publicity_changed:
            application.save(update_fields=["publicity"])
    if refused is not None:
        raise refused
    return version


def _submit_refusal(application: Application, *, by_user, now: datetime) -> SubmissionRefused | None:
    """Why the application cannot be submitted at all (already, not allowed, late), before any check."""
    if application.state == State.SUBMITTED:
        return SubmissionRefused(_("Søknaden er allerede sendt inn."), code="already")
    try:
        _require_transition(SUBMIT, application, user=by_user)
    except ApplicationError as error:
        return SubmissionRefused(error.message, code=error.code)
    if now > application.deadline:
        return SubmissionRefused(
            _("Fristen var %(deadline)s. Søknaden kom %(now)s og kan ikke sendes inn.")
            % {"deadline": moment(application.deadline), "now": moment(now)},
            code="late",
        )
    return None


def _justifications_keep(application: Application, *, by_user, typed: dict[str, str]) -> None:
    """Keep the justifications typed for the call's soft rules (field name → text), as
    ``application_justify`` does, on the locked row. Names of no soft rule are ignored."""
    if not can_edit_application(by_user, application):
        return
    rules = effective_rules(scheme=application.call.scheme, call=application.call).rules
    identities = {SoftWarning(rule.identity, "").field_name: rule.identity for rule in rules if rule.is_soft}
    stored = dict(application.justifications or {})
    for name, text in typed.items():
        if name in identities:
            text = (text or "").strip()[:4000]
            if text:
                stored[identities[name]] = text
            else:
                stored.pop(identities[name], None)
    if stored != (application.justifications or {}):
        application.justifications = stored
        application.save(update_fields=["justifications"])


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
        transition_hooks_run(WITHDRAW, application, by_user)  # e.g. cancel the scheduler rows it makes moot
    return application
