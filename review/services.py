"""Writes for review and decision. Each locks the application (``lock_application``), checks who may
act, records the change on the application's timeline (internal rows for the agency's audit) and
fires workflow transitions through ``application_transition``."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.errors import ApplicationError
from applications.models import Application, ApplicationPartner, EventKind
from applications.services.common import display_name, event_record, lock_application
from applications.services.submission import requested_amount
from applications.services.transitions import application_transition
from applications.workflow import (
    ACCEPT_OFFER,
    ASSESSMENT_DONE,
    DECIDE_APPROVE,
    DECIDE_REJECT,
    DECIDE_WAITLIST,
    DECLINE_OFFER,
    FORMAL_APPROVE,
    FORMAL_REJECT,
    LAPSE_OFFER,
    SEND_OFFER,
    State,
)
from organisations.models import Membership
from portal.numbers import format_kroner
from schemes.models import Call

from .figures import application_figures_refresh
from .models import (
    AssignmentState,
    ConsensusScore,
    Decision,
    FormalCheck,
    FormalReason,
    Offer,
    Outcome,
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewSettings,
    Score,
)
from .permissions import is_officer_for

OUTCOME_TRANSITIONS = {
    Outcome.APPROVE: DECIDE_APPROVE,
    Outcome.REJECT: DECIDE_REJECT,
    Outcome.WAITLIST: DECIDE_WAITLIST,
}
MISSING = object()  # an argument not given (None is a value: no version)


def settings_for(call: Call) -> ReviewSettings:
    """The call's review settings, or the defaults (unsaved) when none are set. No query when they
    were loaded with the call (``select_related("call__review_settings")``)."""
    if Call.review_settings.is_cached(call):
        return getattr(call, "review_settings", None) or ReviewSettings(call=call)
    return ReviewSettings.objects.filter(call=call).first() or ReviewSettings(call=call)


def _require_officer(user, application: Application, *, conflicted: set[int] | None = None) -> None:
    if not is_officer_for(user, application):
        raise ApplicationError(_("Bare saksbehandlere for ordningen kan gjøre dette."), code="forbidden")
    if user.pk in (conflicted if conflicted is not None else _conflicted_user_ids(application)):
        # An officer who belongs to the applicant or a partner organisation does not handle its case.
        raise ApplicationError(_("Du er knyttet til søkeren eller en partner og kan ikke behandle denne saken."),
                               code="conflict")  # fmt: skip


# --- Formal check ---------------------------------------------------------------------------------
def formal_findings(application: Application, *, version=MISSING) -> list[dict]:
    """What the portal checked at submission, from the last submitted version: eligibility (with the
    rule versions used), required attachments, budget rules. Shown to the officer, never decided alone.

    Then one ``officer-judgement`` finding per rule only a person can judge (``key`` is what the
    approve form ticks, ``details`` the statement in bokmål, ``statements`` in every language), and
    one ``justification`` finding per soft rule the application does not meet, with the applicant's
    written ``justification``. ``version``: the last submitted version when already loaded."""
    if version is MISSING:
        version = application.versions.order_by("-number").first()
    if version is None:
        return []
    content = version.content
    eligibility = content.get("eligibility") or {}
    outcomes = eligibility.get("outcomes", [])
    failing = [o["explanation"] for o in outcomes if o.get("status") == "fails" and o.get("severity") != "soft"]
    unknown = [o["explanation"] for o in outcomes if o.get("status") == "unknown" and not o.get("officer")]
    versions = content.get("rule_versions", {})
    files = {f["question"] for f in content.get("attachments", [])}
    required = [
        q
        for s in content.get("form", {}).get("sections", [])
        for q in s.get("questions", [])
        if q.get("type") == "attachment" and q.get("required", True)
    ]
    missing = [q["label"].get("nb", q["key"]) for q in required if q["key"] not in files]
    findings = [
        {
            "code": "eligibility",
            "ok": not failing,
            "details": failing + unknown,
            "verdict": eligibility.get("verdict"),
            "versions": versions,
        },
        {"code": "attachments", "ok": not missing, "details": missing},
    ]
    for number, outcome in enumerate(outcomes, start=1):
        statements = outcome.get("statements") or {"nb": outcome.get("explanation", "")}
        if outcome.get("officer"):
            findings.append({
                "code": "officer-judgement", "ok": None, "key": f"vurdert-{number}",
                "identity": outcome.get("identity", ""), "details": [statements.get("nb", "")],
                "statements": statements,
            })  # fmt: skip
        elif outcome.get("severity") == "soft" and outcome.get("status") == "fails":
            findings.append({
                "code": "justification", "ok": None, "identity": outcome.get("identity", ""),
                "details": [outcome.get("explanation", "")], "explanations": outcome.get("explanations", {}),
                "justification": outcome.get("justification", ""),
            })  # fmt: skip
    return findings


def officer_judgements(findings: list[dict]) -> list[dict]:
    """The findings the officer must tick as judged before approving."""
    return [finding for finding in findings if finding.get("code") == "officer-judgement"]


def formal_check_record(
    *,
    application_id: int,
    by_user,
    approved: bool,
    reasons: list[str] | None = None,
    comment: str = "",
    now: datetime | None = None,
    judged: list[str] | None = None,
) -> FormalCheck:
    """Confirm the formal check (→ review) or reject formally with reason codes and a text; a
    rejection gives the applicant the call's appeal window from today. Approving needs every rule
    the officer judges (``officer_judgements``) ticked in ``judged`` (their keys); the ticks are
    recorded in the findings (``"judged": true``)."""
    now = now or timezone.now()
    reasons = [r for r in (reasons or []) if r in FormalReason.values]
    if not approved and not reasons:
        raise ApplicationError(_("Velg minst én grunn for å avvise søknaden."), code="reasons")
    if not approved and not comment.strip():
        raise ApplicationError(_("Skriv en begrunnelse søkeren kan lese."), code="comment")
    with transaction.atomic():
        application = lock_application(application_id)
        _require_officer(by_user, application)
        findings = formal_findings(application)
        judged = set(judged or [])
        for finding in officer_judgements(findings):
            finding["judged"] = finding["key"] in judged
        if approved and not all(finding["judged"] for finding in officer_judgements(findings)):
            raise ApplicationError(
                _("Kryss av for at du har vurdert hvert krav saksbehandleren skal vurdere, før du godkjenner."),
                code="judgements",
            )
        appeal = None
        if not approved:
            weeks = settings_for(application.call).appeal_weeks
            appeal = timezone.localtime(now).date() + timedelta(weeks=weeks)
        check = FormalCheck.objects.create(
            application=application,
            approved=approved,
            reasons=reasons,
            comment=comment.strip(),
            findings=findings,
            appeal_deadline=appeal,
            checked_by=by_user,
            checked_at=now,
        )
        application_transition(
            application_id=application.pk,
            name=FORMAL_APPROVE if approved else FORMAL_REJECT,
            by_user=by_user,
            comment=comment or _("Formelt godkjent"),
            now=now,
            data={"reasons": reasons, "appeal_deadline": appeal.isoformat() if appeal else None},
            by_service=True,
        )
    return check


# --- Reviewers ----------------------------------------------------------------------------------------
def _conflicted_users(application: Application):
    """Members of the applicant and of every partner organisation: never reviewers of it. The ids,
    as a query (a subquery where it is used, or one query)."""
    partners = ApplicationPartner.objects.filter(application_id=application.pk).values("organisation_id")
    return Membership.objects.filter(
        Q(organisation_id=application.organisation_id) | Q(organisation_id__in=partners)
    ).values("user_id")


def _conflicted_user_ids(application: Application) -> set[int]:
    return set(_conflicted_users(application).values_list("user_id", flat=True))


def eligible_reviewers(application: Application):
    """Fageksperter at an agency running the scheme, active, not members of the applicant or a
    partner, not already assigned (or declared conflicted) on this application."""
    from accounts.models import StaffRole

    User = get_user_model()
    agencies = application.call.scheme.agencies.values_list("pk", flat=True)
    return (
        User.objects.filter(is_active=True, staff_roles__role=StaffRole.Role.REVIEWER, staff_roles__agency__in=agencies)
        .exclude(pk__in=_conflicted_users(application))
        .exclude(assignments__application=application)
        .distinct()
    )


def reviewers_unavailable_reason(application: Application) -> str:
    """Why no fagekspert can be offered for the application (call when ``eligible_reviewers`` is
    empty): the scheme has none, or every one is assigned already or tied to the applicant or a partner."""
    from accounts.models import StaffRole

    agencies = application.call.scheme.agencies.values_list("pk", flat=True)
    pool = set(
        get_user_model()
        .objects.filter(is_active=True, staff_roles__role=StaffRole.Role.REVIEWER, staff_roles__agency__in=agencies)
        .values_list("pk", flat=True)
    )
    if not pool:
        return _("Ingen fageksperter er knyttet til ordningen ennå. En administrator legger dem til.")
    assigned = pool & set(application.assignments.values_list("reviewer_id", flat=True))
    tied = (pool - assigned) & _conflicted_user_ids(application)
    return ngettext(
        "Ingen flere fageksperter kan tildeles: ordningen har %(total)s fagekspert, %(assigned)s er allerede "
        "tildelt søknaden og %(tied)s er knyttet til søkeren eller en partner.",
        "Ingen flere fageksperter kan tildeles: ordningen har %(total)s fageksperter, %(assigned)s er allerede "
        "tildelt søknaden og %(tied)s er knyttet til søkeren eller en partner.",
        len(pool),
    ) % {"assigned": len(assigned), "tied": len(tied), "total": len(pool)}


def reviewer_suggestions(application: Application, *, count: int) -> list:
    """Eligible reviewers with the fewest open assignments first (balancing load), then by name."""
    open_states = [AssignmentState.AWAITING_DECLARATION, AssignmentState.ACTIVE]
    return list(
        eligible_reviewers(application)
        .annotate(load=Count("assignments", filter=Q(assignments__state__in=open_states), distinct=True))
        .order_by("load", "full_name", "pk")[:count]
    )


def default_due_date(application: Application, *, today: date) -> date:
    from portal.workdays import add_working_days

    return add_working_days(today, settings_for(application.call).review_working_days)


def reviewer_assign(
    *, application_id: int, reviewer, by_user, due_date: date | None = None, now: datetime | None = None
) -> ReviewAssignment:
    """Assign ``reviewer``. Refused — whatever the caller checked — for a member of the applicant
    or a partner organisation, someone who is not a fagekspert for the scheme, or twice."""
    now = now or timezone.now()
    with transaction.atomic():
        application = lock_application(application_id)
        conflicted = _conflicted_user_ids(application)
        _require_officer(by_user, application, conflicted=conflicted)
        if application.state != State.IN_REVIEW:
            raise ApplicationError(_("Fageksperter tildeles når søknaden er til fagvurdering."), code="state")
        if reviewer.pk in conflicted:
            raise ApplicationError(
                _("%(name)s er knyttet til søkeren eller en partner og kan ikke vurdere søknaden.")
                % {"name": display_name(reviewer)},
                code="conflict",
            )
        if not eligible_reviewers(application).filter(pk=reviewer.pk).exists():
            raise ApplicationError(
                _("%(name)s kan ikke tildeles denne søknaden.") % {"name": display_name(reviewer)}, code="not-eligible"
            )
        due = due_date or default_due_date(application, today=timezone.localtime(now).date())
        assignment = ReviewAssignment.objects.create(
            application=application, reviewer=reviewer, due_date=due, assigned_by=by_user, assigned_at=now
        )
        from .deadlines import assignment_deadlines_arm

        assignment_deadlines_arm(assignment=assignment)
        application_figures_refresh(application_ids=[application.pk], locked=True)
        event_record(
            application,
            EventKind.REVIEWER_ASSIGNED,
            actor=by_user,
            at=now,
            internal=True,
            data={"reviewer": display_name(reviewer), "reviewer_id": reviewer.pk, "due": due.isoformat()},
        )
    return assignment


def reviewers_assign_bulk(
    *, application_ids: list[int], by_user, per_application: int | None = None, due_date: date | None = None
) -> list[ReviewAssignment]:
    """Give each application reviewers from the suggestions until it has ``per_application`` (the
    call's setting by default), spreading the load; one transaction per application, so one that
    cannot be served does not undo the others. Applications in other states are skipped."""
    made = []
    for application in Application.objects.filter(pk__in=application_ids).select_related("call__scheme"):
        if application.state != State.IN_REVIEW or not is_officer_for(by_user, application):
            continue
        wanted = per_application or settings_for(application.call).reviewers_per_application
        have = application.assignments.exclude(state=AssignmentState.CONFLICT).count()
        for reviewer in reviewer_suggestions(application, count=max(0, wanted - have)):
            made.append(
                reviewer_assign(application_id=application.pk, reviewer=reviewer, by_user=by_user, due_date=due_date)
            )
    return made


def conflict_declare(
    *, assignment_id: int, by_user, conflict: bool, note: str = "", now: datetime | None = None
) -> ReviewAssignment:
    """The reviewer's declaration before the content opens. A conflict ends the assignment and
    tells the officers (internal timeline row; the officers' notice is armed by the scheduler)."""
    now = now or timezone.now()
    with transaction.atomic():
        assignment = ReviewAssignment.objects.select_for_update().select_related("application").get(pk=assignment_id)
        if assignment.reviewer_id != by_user.pk:
            raise ApplicationError(_("Bare den som er tildelt kan erklære habilitet."), code="forbidden")
        if assignment.state != AssignmentState.AWAITING_DECLARATION:
            raise ApplicationError(_("Habiliteten er allerede erklært."), code="state")
        if conflict and not note.strip():
            raise ApplicationError(_("Skriv kort hvorfor du er inhabil."), code="note")
        assignment.state = AssignmentState.CONFLICT if conflict else AssignmentState.ACTIVE
        assignment.declared_at, assignment.conflict_note = now, note.strip()
        assignment.save(update_fields=["state", "declared_at", "conflict_note"])
        application_figures_refresh(application_ids=[assignment.application_id])
        if conflict:
            event_record(
                assignment.application,
                EventKind.CONFLICT_DECLARED,
                actor=by_user,
                at=now,
                internal=True,
                data={"reviewer": display_name(by_user), "note": note.strip()},
            )
            from .deadlines import CANCEL_CONFLICT, assignment_deadlines_cancel
            from .notifications import conflict_notices_arm

            conflict_notices_arm(assignment=assignment)
            assignment_deadlines_cancel(assignment_ids=[assignment.pk], reason=CANCEL_CONFLICT)
    return assignment


def review_save(
    *,
    assignment_id: int,
    by_user,
    scores: dict[int, tuple[int | None, str]],
    recommendation: str = "",
    comment: str = "",
    submit: bool = False,
    now: datetime | None = None,
) -> Review:
    """Save the reviewer's draft (or submit it). Scores must lie on each criterion's scale; a
    submitted review needs every score and a recommendation. Changes after submission are allowed
    until the application is assessed, and recorded."""
    now = now or timezone.now()
    with transaction.atomic():
        assignment = (
            ReviewAssignment.objects.select_for_update().select_related("application__call").get(pk=assignment_id)
        )
        application = assignment.application
        if assignment.reviewer_id != by_user.pk:
            raise ApplicationError(_("Dette er ikke din vurdering."), code="forbidden")
        if assignment.state not in (AssignmentState.ACTIVE, AssignmentState.SUBMITTED):
            raise ApplicationError(_("Erklær habilitet før du vurderer."), code="state")
        if application.state != State.IN_REVIEW:
            raise ApplicationError(_("Vurderingen er avsluttet for denne søknaden."), code="closed")
        criteria = {c.pk: c for c in application.call.criteria.all()}
        errors = []
        for criterion_id, (score, _comment) in scores.items():
            criterion = criteria.get(int(criterion_id))
            if criterion is None:
                errors.append(_("Ukjent kriterium."))
            elif score is not None and not criterion.scale_min <= int(score) <= criterion.scale_max:
                errors.append(
                    _("%(name)s: karakteren må være fra %(low)s til %(high)s.")
                    % {"name": criterion.name, "low": criterion.scale_min, "high": criterion.scale_max}
                )
        if recommendation and recommendation not in Recommendation.values:
            errors.append(_("Velg en anbefaling."))
        if submit:
            if any(scores.get(pk, (None, ""))[0] is None for pk in criteria):
                errors.append(_("Sett karakter på alle kriteriene før du leverer."))
            if not recommendation:
                errors.append(_("Velg en anbefaling før du leverer."))
        if errors:
            raise ApplicationError(" ".join(errors), code="invalid")
        review, _created = Review.objects.get_or_create(assignment=assignment)
        before = {s.criterion_id: s.score for s in review.scores.all()}
        for criterion_id, (score, text) in scores.items():
            Score.objects.update_or_create(
                review=review, criterion_id=int(criterion_id), defaults={"score": score, "comment": text}
            )
        review.recommendation, review.comment, review.updated_at = recommendation, comment, now
        was_submitted = review.submitted_at is not None
        if submit and not was_submitted:
            review.submitted_at = now
            assignment.state = AssignmentState.SUBMITTED
            assignment.save(update_fields=["state"])
            from .deadlines import CANCEL_DELIVERED, assignment_deadlines_cancel

            assignment_deadlines_cancel(assignment_ids=[assignment.pk], reason=CANCEL_DELIVERED)
        review.save()
        application_figures_refresh(application_ids=[application.pk])
        after = {int(k): v[0] for k, v in scores.items()}
        if submit and not was_submitted:
            event_record(
                application,
                EventKind.REVIEW_SUBMITTED,
                actor=by_user,
                at=now,
                internal=True,
                data={"scores": {str(k): v for k, v in after.items()}, "recommendation": recommendation},
            )
        elif was_submitted and any(before.get(k) != v for k, v in after.items()):
            event_record(
                application,
                EventKind.REVIEW_SAVED,
                actor=by_user,
                at=now,
                internal=True,
                data={"before": {str(k): v for k, v in before.items()}, "after": {str(k): v for k, v in after.items()}},
            )
    return review


def consensus_set(
    *, application_id: int, criterion_id: int, score: int, comment: str = "", by_user, now: datetime | None = None
) -> ConsensusScore:
    now = now or timezone.now()
    with transaction.atomic():
        application = lock_application(application_id)
        _require_officer(by_user, application)
        if application.state not in (State.IN_REVIEW, State.ASSESSED):
            raise ApplicationError(_("Omforent karakter settes under fagvurderingen."), code="state")
        criterion = application.call.criteria.filter(pk=criterion_id).first()
        if criterion is None or not criterion.scale_min <= score <= criterion.scale_max:
            raise ApplicationError(_("Karakteren er utenfor skalaen."), code="invalid")
        consensus, _created = ConsensusScore.objects.update_or_create(
            application=application,
            criterion=criterion,
            defaults={"score": score, "comment": comment, "set_by": by_user, "set_at": now},
        )
        application_figures_refresh(application_ids=[application.pk], locked=True)
        event_record(
            application,
            EventKind.CONSENSUS_SET,
            actor=by_user,
            at=now,
            internal=True,
            data={"criterion": criterion.name, "score": score},
        )
    return consensus


def assessment_complete(*, application_id: int, by_user, now: datetime | None = None) -> Application:
    return application_transition(application_id=application_id, name=ASSESSMENT_DONE, by_user=by_user, now=now)


# --- Decisions ----------------------------------------------------------------------------------------
def decision_prepare(
    *,
    application_id: int,
    by_user,
    outcome: str,
    granted_amount: Decimal | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> Decision:
    """One officer prepares; another confirms (``decision_confirm``). The applicant sees nothing yet."""
    now = now or timezone.now()
    if outcome not in Outcome.values:
        raise ApplicationError(_("Velg utfall."), code="invalid")
    with transaction.atomic():
        application = lock_application(application_id)
        _require_officer(by_user, application)
        if application.state not in (State.ASSESSED, State.WAITLISTED):
            raise ApplicationError(_("Vedtak forberedes når vurderingen er ferdig."), code="state")
        if outcome == Outcome.WAITLIST and application.state == State.WAITLISTED:
            raise ApplicationError(_("Søknaden står allerede på venteliste."), code="state")
        if application.decisions.filter(cancelled_at__isnull=True, confirmed_at__isnull=True).exists():
            raise ApplicationError(_("Et vedtak er allerede forberedt. Trekk det først."), code="open")
        amount = None
        if outcome == Outcome.APPROVE:
            if not granted_amount or granted_amount <= 0:
                raise ApplicationError(_("Skriv innvilget beløp."), code="amount")
            requested = requested_amount(application)
            if requested is not None and granted_amount > requested:
                raise ApplicationError(
                    _("Innvilget beløp kan ikke være høyere enn omsøkt beløp (%(requested)s).")
                    % {"requested": format_kroner(requested)},
                    code="amount",
                )
            amount = granted_amount
        # A confirmed decision of an earlier round (waitlisted) gives way to the new one.
        application.decisions.filter(cancelled_at__isnull=True).update(cancelled_at=now)
        decision = Decision.objects.create(
            application=application,
            outcome=outcome,
            granted_amount=amount,
            comment=comment,
            prepared_by=by_user,
            prepared_at=now,
        )
        event_record(
            application,
            EventKind.DECISION_PREPARED,
            actor=by_user,
            at=now,
            internal=True,
            data={"outcome": outcome, "amount": str(amount) if amount else None},
        )
    return decision


def decision_cancel(*, decision_id: int, by_user, now: datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        # The application first, as every other write does (one lock order: no deadlock with a prepare).
        application = lock_application(Decision.objects.values_list("application_id", flat=True).get(pk=decision_id))
        decision = Decision.objects.select_for_update().get(pk=decision_id)
        _require_officer(by_user, application)
        if decision.confirmed_at or decision.cancelled_at:
            raise ApplicationError(_("Bare et forberedt, ubekreftet vedtak kan trekkes."), code="state")
        decision.cancelled_at = now
        decision.save(update_fields=["cancelled_at"])
        event_record(application, EventKind.DECISION_CANCELLED, actor=by_user, at=now, internal=True)


def granted_total(call: Call) -> Decimal:
    """What the call has granted: confirmed approvals not cancelled."""
    total = Decision.objects.filter(
        application__call=call,
        outcome=Outcome.APPROVE,
        confirmed_at__isnull=False,
        cancelled_at__isnull=True,
    ).aggregate(total=Sum("granted_amount"))["total"]
    return total or Decimal(0)


def decision_confirm(*, decision_id: int, by_user, now: datetime | None = None) -> Decision:
    """The second officer confirms: only now does the applicant's status change. An approval is
    refused if the call's granted total would pass its budget — decided under a lock on the call
    row, so two officers confirming at the same moment cannot both spend the last krone."""
    now = now or timezone.now()
    with transaction.atomic():
        # The application first, as every other write does (one lock order: no deadlock with a prepare).
        application = lock_application(Decision.objects.values_list("application_id", flat=True).get(pk=decision_id))
        decision = Decision.objects.select_for_update().get(pk=decision_id)
        _require_officer(by_user, application)
        if decision.cancelled_at or decision.confirmed_at:
            raise ApplicationError(_("Vedtaket er ikke lenger åpent for bekreftelse."), code="state")
        if decision.prepared_by_id == by_user.pk:
            raise ApplicationError(
                _("Et vedtak må bekreftes av en annen saksbehandler enn den som forberedte det."), code="four-eyes"
            )
        if decision.outcome == Outcome.APPROVE:
            call = Call.objects.select_for_update().get(pk=application.call_id)
            if call.budget is not None and granted_total(call) + decision.granted_amount > call.budget:
                raise ApplicationError(
                    _(
                        "Utlysningens budsjett er %(budget)s, og %(granted)s er allerede innvilget. %(amount)s til får "
                        "ikke plass."
                    )
                    % {
                        "budget": format_kroner(call.budget),
                        "granted": format_kroner(granted_total(call)),
                        "amount": format_kroner(decision.granted_amount),
                    },
                    code="budget",
                )
        decision.confirmed_by, decision.confirmed_at = by_user, now
        decision.save(update_fields=["confirmed_by", "confirmed_at"])
        event_record(
            application,
            EventKind.DECISION_CONFIRMED,
            actor=by_user,
            at=now,
            internal=True,
            data={"outcome": decision.outcome, "prepared_by": decision.prepared_by_id},
        )
        application_transition(
            application_id=application.pk,
            name=OUTCOME_TRANSITIONS[Outcome(decision.outcome)],
            by_user=by_user,
            comment=decision.comment,
            now=now,
            by_service=True,
        )
        if decision.outcome == Outcome.APPROVE:
            offer_send(application=application, decision=decision, by_user=by_user, now=now)
        from .notifications import decision_letters_arm

        decision_letters_arm(decision=decision)
    return decision


# --- Offers -----------------------------------------------------------------------------------------------
def offer_send(*, application: Application, decision: Decision, by_user, now: datetime) -> Offer:
    """Inside ``decision_confirm``: the offer with its answer deadline (the call's ``offer_days``,
    at 23:59 Norwegian time on the last day), and the row the scheduler lapses it with."""
    days = settings_for(application.call).offer_days
    last_day = timezone.localtime(now).date() + timedelta(days=days)
    deadline = timezone.make_aware(datetime.combine(last_day, datetime.max.time().replace(microsecond=0)))
    offer = Offer.objects.create(
        application=application, decision=decision, amount=decision.granted_amount, sent_at=now, deadline=deadline
    )
    application_transition(application_id=application.pk, name=SEND_OFFER, by_user=by_user, now=now, by_service=True)
    from .deadlines import offer_reminders_arm
    from .notifications import offer_lapse_arm

    offer_lapse_arm(offer=offer)
    offer_reminders_arm(offer=offer)
    return offer


def offer_answer(
    *, application_id: int, by_user, accept: bool, comment: str = "", now: datetime | None = None
) -> Offer:
    now = now or timezone.now()
    with transaction.atomic():
        application = lock_application(application_id)
        offer = Offer.objects.select_for_update().get(application=application)
        if offer.answer:
            raise ApplicationError(_("Tilbudet er allerede besvart."), code="answered")
        if now > offer.deadline:
            raise ApplicationError(
                _("Svarfristen for tilbudet gikk ut %(deadline)s.")
                % {"deadline": timezone.localtime(offer.deadline).strftime("%d.%m.%Y kl. %H:%M")},
                code="late",
            )
        application_transition(
            application_id=application.pk,
            name=ACCEPT_OFFER if accept else DECLINE_OFFER,
            by_user=by_user,
            comment=comment or "",
            now=now,
            by_service=True,
        )
        offer.answer = Offer.Answer.ACCEPTED if accept else Offer.Answer.DECLINED
        offer.answered_at, offer.answered_by = now, by_user
        offer.save(update_fields=["answer", "answered_at", "answered_by"])
        event_record(application, EventKind.OFFER_ANSWERED, actor=by_user, at=now, data={"accepted": accept})
        if accept:
            from .reports import reports_schedule  # the reports it now owes, and IN_REPORTING

            reports_schedule(application=lock_application(application.pk), now=now)
            for observer in _offer_accepted_observers:  # in the same transaction (the project bank)
                observer(offer=offer, now=now)
    return offer


# Offer-accepted observers: ``observer(offer=..., now=...)`` runs inside the accepting transaction.
# Registered by apps above review (the project bank), which review never imports.
_offer_accepted_observers: list = []


def register_offer_accepted_observer(observer):
    """Register ``observer``; registering the same function twice is a no-op."""
    if observer not in _offer_accepted_observers:
        _offer_accepted_observers.append(observer)
    return observer


def offer_lapse(*, application_id: int, now: datetime | None = None) -> bool:
    """The scheduler's: an offer unanswered at its deadline lapses. Guarded: a rerun, or an offer
    answered meanwhile, changes nothing. Returns whether it lapsed now."""
    now = now or timezone.now()
    with transaction.atomic():
        application = lock_application(application_id)
        offer = Offer.objects.select_for_update().filter(application=application).first()
        # The deadline's own second is the applicant's (offer_answer accepts it): lapse only after it.
        if offer is None or offer.answer or now <= offer.deadline or application.state != State.OFFER_SENT:
            return False
        application_transition(application_id=application.pk, name=LAPSE_OFFER, by_user=None, now=now, by_service=True)
        offer.answer, offer.answered_at = Offer.Answer.LAPSED, now
        offer.save(update_fields=["answer", "answered_at"])
    return True


# --- Audit of staff downloads -----------------------------------------------------------------------
def file_download_record(user, stored_file, *, now: datetime | None = None) -> int:
    """The attachments app's download observer: a download by staff (an officer of the scheme, a
    superuser, an assigned reviewer) — not by the applicant's own people — is an internal row on
    each application that holds the file. Returns the number of rows written."""
    from accounts.permissions import is_agency_staff
    from applications.models import ApplicationFile
    from applications.permissions import is_applicant_member, is_partner_member

    from .permissions import assignment_of

    if not (user.is_authenticated and (user.is_superuser or is_agency_staff(user))):
        return 0  # the applicant's own people (staff roles are read once per request)
    now = now or timezone.now()
    holders = (
        Application.objects.filter(pk__in=ApplicationFile.objects.filter(stored_file=stored_file).values("application"))
        .select_related("call__scheme")
        .order_by("pk")
    )
    written = 0
    for application in holders:
        if is_applicant_member(user, application) or is_partner_member(user, application):
            continue
        staff = user.is_superuser or is_officer_for(user, application) or assignment_of(user, application)
        if not staff:
            continue
        event_record(
            application,
            EventKind.FILE_DOWNLOADED,
            actor=user,
            at=now,
            internal=True,
            data={"file": stored_file.display_name, "file_id": str(stored_file.pk)},
        )
        written += 1
    return written


def case_view_record(*, user, application: Application, now: datetime | None = None) -> None:
    """The officer's case page was opened: an internal row of the case's access log (not shown in
    the case's history, which would fill up with them). Callers have checked ``access_case``."""
    event_record(application, EventKind.CASE_VIEWED, actor=user, at=now or timezone.now(), internal=True)


def staff_read_record(user, application: Application, *, what: str, now: datetime | None = None) -> bool:
    """A receipt (the submitted version as PDF) downloaded by staff, not by the applicant's own
    people: an internal row, like an attachment's download. Returns whether one was written."""
    from accounts.permissions import is_agency_staff
    from applications.permissions import is_applicant_member, is_partner_member

    if is_applicant_member(user, application):  # the applicant's own people first: no query
        return False
    if not (user.is_authenticated and (user.is_superuser or is_agency_staff(user))):
        return False
    if is_partner_member(user, application):
        return False
    event_record(application, EventKind.FILE_DOWNLOADED, actor=user, at=now or timezone.now(), internal=True,
                 data={"file": what})  # fmt: skip
    return True
