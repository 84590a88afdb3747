"""Reads for review and decision: the panel's ranking of a call, and what an applicant may see of
the assessment. Each runs a fixed number of queries, whatever the number of applications."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from applications.models import Application, EventKind
from applications.services.submission import requested_amount
from applications.workflow import DECISION_VISIBLE_STATES, State

from .models import AssignmentState, ConsensusScore, Decision, ReviewAssignment, ReviewSettings, Score

PANEL_STATES = (
    State.IN_REVIEW,
    State.ASSESSED,
    State.APPROVED,
    State.REJECTED,
    State.WAITLISTED,
    State.OFFER_SENT,
    State.ACCEPTED,
    State.OFFER_DECLINED,
    State.OFFER_LAPSED,
    State.IN_REPORTING,
    State.COMPLETED,
)


@dataclass
class PanelRow:
    application: Application
    requested: Decimal
    criterion_scores: dict[int, Decimal | None] = field(default_factory=dict)  # consensus, else mean
    consensus: set[int] = field(default_factory=set)  # criteria with a consensus score
    weighted: Decimal | None = None
    spread: Decimal | None = None  # highest − lowest reviewer's weighted total
    reviews_done: int = 0
    reviews_missing: int = 0
    cumulative_requested: Decimal = Decimal(0)
    within_budget: bool = True
    decision: Decision | None = None


def _weighted(scores: dict[int, Decimal | None], weights: dict[int, Decimal]) -> Decimal | None:
    if not weights or any(scores.get(c) is None for c in weights):
        return None
    total = sum(weights.values())
    return sum(scores[c] * w for c, w in weights.items()) / total if total else None


def _requested(application: Application) -> Decimal:
    asked = requested_amount(application)
    return Decimal(0) if asked is None else asked


def panel_ranking(*, call) -> tuple[list[PanelRow], dict]:
    """The call's applications past the formal check, ranked by weighted score (consensus where set,
    else the mean of submitted reviews), with spread, missing reviews and the cumulative requested
    amount against the call's budget. Six queries."""
    settings = ReviewSettings.objects.filter(call=call).first() or ReviewSettings(call=call)
    criteria = list(call.criteria.all())
    weights = {c.pk: c.weight for c in criteria}
    applications = list(
        Application.objects.filter(call=call, state__in=PANEL_STATES).select_related("organisation", "stage")
    )
    ids = [a.pk for a in applications]
    per_reviewer: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for application_id, assignment_id, criterion_id, score in Score.objects.filter(
        review__assignment__application_id__in=ids,
        review__submitted_at__isnull=False,
        score__isnull=False,
    ).values_list("review__assignment__application_id", "review__assignment_id", "criterion_id", "score"):
        per_reviewer[application_id][assignment_id][criterion_id] = score
    consensus: dict[int, dict[int, int]] = defaultdict(dict)
    for application_id, criterion_id, score in ConsensusScore.objects.filter(application_id__in=ids).values_list(
        "application_id", "criterion_id", "score"
    ):
        consensus[application_id][criterion_id] = score
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for application_id, state in ReviewAssignment.objects.filter(application_id__in=ids).values_list(
        "application_id", "state"
    ):
        counts[application_id][state] += 1
    decisions = {
        d.application_id: d for d in Decision.objects.filter(application_id__in=ids, cancelled_at__isnull=True)
    }
    rows = []
    for application in applications:
        reviewers = per_reviewer[application.pk]
        row = PanelRow(
            application=application, requested=_requested(application), decision=decisions.get(application.pk)
        )
        for criterion in criteria:
            if criterion.pk in consensus[application.pk]:
                row.criterion_scores[criterion.pk] = Decimal(consensus[application.pk][criterion.pk])
                row.consensus.add(criterion.pk)
            else:
                given = [r[criterion.pk] for r in reviewers.values() if criterion.pk in r]
                row.criterion_scores[criterion.pk] = Decimal(sum(given)) / len(given) if given else None
        row.weighted = _weighted(row.criterion_scores, weights)
        totals = [t for r in reviewers.values() if (t := _weighted({c: Decimal(s) for c, s in r.items()}, weights))]
        row.spread = (max(totals) - min(totals)) if len(totals) > 1 else None
        row.reviews_done = counts[application.pk][AssignmentState.SUBMITTED]
        open_ = (
            counts[application.pk][AssignmentState.ACTIVE]
            + counts[application.pk][AssignmentState.AWAITING_DECLARATION]
        )
        row.reviews_missing = max(open_, settings.reviewers_per_application - row.reviews_done)
        rows.append(row)
    rows.sort(key=lambda r: (r.weighted is None, -(r.weighted or 0), r.application.pk))
    running = Decimal(0)
    for row in rows:
        running += row.requested
        row.cumulative_requested = running
        row.within_budget = call.budget is None or running <= call.budget
    summary = {"budget": call.budget, "requested": running, "criteria": criteria}
    return rows, summary


def assessment_for_applicant(*, application) -> dict | None:
    """What the call shares of the assessment once the decision is visible: the scores (consensus,
    else the mean per criterion) and, if the call says so, the reviewers' comments — never who wrote them."""
    if application.state not in DECISION_VISIBLE_STATES:
        return None
    settings = ReviewSettings.objects.filter(call_id=application.call_id).first() or ReviewSettings()
    criteria = list(application.call.criteria.all())
    consensus = {c.criterion_id: c for c in ConsensusScore.objects.filter(application=application)}
    scores = list(Score.objects.filter(review__assignment__application=application, review__submitted_at__isnull=False))
    rows = []
    for criterion in criteria:
        given = [s for s in scores if s.criterion_id == criterion.pk]
        if criterion.pk in consensus:
            value = Decimal(consensus[criterion.pk].score)
        else:
            numbers = [s.score for s in given if s.score is not None]
            value = Decimal(sum(numbers)) / len(numbers) if numbers else None
        rows.append(
            {
                "criterion": criterion,
                "score": value if settings.share_scores else None,
                "comments": [s.comment for s in given if s.comment] if settings.share_comments else [],
            }
        )
    return {"rows": rows, "share_scores": settings.share_scores, "share_comments": settings.share_comments}


# --- Pages ----------------------------------------------------------------------------------------
def _state_label(value: str) -> str:
    return State(value).label if value in State.values else value


def audit_rows(*, application) -> list[dict]:
    """The whole timeline, internal rows included (staff handling the scheme only): who, when,
    from, to, comment. One query."""
    from applications.selectors import application_timeline

    rows = []
    # Views of the case page are in its access log (``case_accesses``), not in the history.
    for event in application_timeline(application=application, include_internal=True).exclude(
        kind=EventKind.CASE_VIEWED
    ):
        data = event.data or {}
        detail = data.get("comment") or data.get("note") or ""
        if data.get("reviewer") and not detail:
            detail = data["reviewer"]
        if data.get("file"):
            detail = data["file"]
        rows.append(
            {
                "at": event.at,
                "actor": (event.actor.full_name or event.actor.email) if event.actor else "",
                "kind": event.get_kind_display(),
                "from": _state_label(event.from_state) if event.from_state else "",
                "to": _state_label(event.to_state) if event.to_state else "",
                "comment": detail,
                "internal": event.internal,
            }
        )
    return rows


def staff_case(*, application) -> dict:
    """What the officer's case page shows besides the forms: the last submitted version, the
    newest formal check, the assignments with their reviews and scores, consensus, decisions.
    A fixed number of queries whatever the number of assignments: four when the application
    came from ``access_case(page=True)`` (the version and the formal check came with it)."""
    from django.db.models import OuterRef, Prefetch, Subquery

    from .models import FormalCheck

    if hasattr(application, "page_version"):  # access_case(page=True) loaded it (None: no version)
        version, formal_check = application.page_version, application.page_check
    else:
        version = application.versions.select_related("submitted_by").order_by("-number").first()
        formal_check = FormalCheck.objects.filter(application=application).select_related("checked_by").first()
    assignments = list(
        ReviewAssignment.objects.filter(application=application)
        .select_related("reviewer", "review")
        .prefetch_related(Prefetch("review__scores", queryset=Score.objects.order_by("criterion_id")))
        .order_by("assigned_at", "pk")
    )
    # The criteria with the consensus score of each (one query, not two).
    criteria = list(
        application.call.criteria.annotate(
            consensus_score=Subquery(
                ConsensusScore.objects.filter(application=application, criterion=OuterRef("pk")).values("score")[:1]
            )
        )
    )
    for assignment in assignments:
        review = getattr(assignment, "review", None)  # select_related: None when there is none
        scores = {s.criterion_id: s for s in review.scores.all()} if review else {}
        assignment.page_review = review
        assignment.page_scores = [(criterion, scores.get(criterion.pk)) for criterion in criteria]
    decisions = list(application.decisions.select_related("prepared_by", "confirmed_by").order_by("-prepared_at"))
    open_decision = next((d for d in decisions if not d.cancelled_at and not d.confirmed_at), None)
    confirmed = next((d for d in decisions if not d.cancelled_at and d.confirmed_at), None)
    return {
        "version": version,
        "formal_check": formal_check,
        "assignments": assignments,
        "criteria": criteria,
        # criterion id → the consensus score, for the criteria that have one
        "consensus": {c.pk: c.consensus_score for c in criteria if c.consensus_score is not None},
        "open_decision": open_decision,
        "confirmed_decision": confirmed,
        "requested": requested_amount(application) if version else None,
    }


def reviewer_assignments(*, user):
    """My assignments (newest first), with what the list shows. One query."""
    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("application__organisation", "application__call")
        .only(
            "state",
            "due_date",
            "assigned_at",
            "application__title",
            "application__reference",
            "application__state",
            "application__organisation__name",
            "application__call__title",
        )
        .order_by("-assigned_at", "-pk")
    )


def access_assignment(*, user, pk: int) -> ReviewAssignment:
    """The person's own assignment, while the application is being reviewed and no conflict was
    declared; 404 otherwise, so nothing is revealed."""
    from django.http import Http404

    from applications.workflow import REVIEWER_VISIBLE_STATES

    assignment = (
        ReviewAssignment.objects.select_related("application__call__scheme", "application__organisation")
        .filter(pk=pk, reviewer_id=user.pk)
        .first()
    )
    if (
        assignment is None
        or assignment.state == AssignmentState.CONFLICT
        or assignment.application.state not in REVIEWER_VISIBLE_STATES
    ):
        raise Http404
    return assignment


def applicant_result(*, application) -> dict:
    """What the applicant's «Vedtak og tilbud» page shows: the confirmed decision and its offer
    once visible, or the formal rejection (reasons and appeal deadline from the newest check)."""
    from .models import FormalCheck, FormalReason, Offer

    result = {"decision": None, "offer": None, "assessment": None, "rejection": None, "reasons": []}
    if application.state in DECISION_VISIBLE_STATES:
        result["decision"] = (
            Decision.objects.filter(application=application, confirmed_at__isnull=False, cancelled_at__isnull=True)
            .order_by("-confirmed_at")
            .first()
        )
        result["offer"] = Offer.objects.filter(application=application).first()
        result["assessment"] = assessment_for_applicant(application=application)
    elif application.state == State.FORMALLY_REJECTED:
        check = FormalCheck.objects.filter(application=application, approved=False).first()
        result["rejection"] = check
        labels = dict(FormalReason.choices)
        result["reasons"] = [labels.get(r, r) for r in (check.reasons if check else [])]
    return result


def reviewer_file_owner_check(user, stored_file) -> bool | None:
    """The attachments app's owner check for reviewers: a file of an application the person may
    open as its reviewer (no conflict declared, under review) may be downloaded. ``None`` (not
    mine to answer) otherwise, so the applications' own check decides."""
    from accounts.permissions import is_two_factor_verified
    from applications.models import ApplicationFile

    from .permissions import is_reviewer, reviewer_may_open

    if not is_reviewer(user):  # staff roles are read once per request; applicants stop here
        return None
    applications = Application.objects.filter(
        pk__in=ApplicationFile.objects.filter(stored_file=stored_file).values("application"),
        assignments__reviewer=user,
    ).distinct()
    may_open = any(reviewer_may_open(user, a) for a in applications)
    return True if may_open and is_two_factor_verified(user) else None


def access_case(*, user, pk: int, page: bool = False) -> Application:
    """The application for the officer's case page: staff handling its scheme, once submitted;
    404 for everyone else (reviewers included), so its existence is not revealed. The call's
    review settings come with it (``settings_for`` asks no more).

    ``page``: for the page itself, also in the same query its last submitted version
    (``page_version``) and newest formal check (``page_check``), each None when there is none,
    and the person's own membership role in the applicant (``viewer_role``, for ``actors_for``)."""
    from django.db.models import FilteredRelation, OuterRef, Q, Subquery
    from django.http import Http404

    from applications.models import ApplicationVersion
    from applications.workflow import STAFF_VISIBLE_STATES
    from organisations.models import Membership

    from .models import FormalCheck
    from .permissions import is_officer_for

    related = ["call__scheme", "call__review_settings", "stage", "organisation"]
    applications = Application.objects.filter(pk=pk)
    if page:
        newest_version = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by("-number")
        newest_check = FormalCheck.objects.filter(application=OuterRef("pk")).order_by("-checked_at", "-pk")
        applications = applications.annotate(
            page_version=FilteredRelation(
                "versions", condition=Q(versions__pk=Subquery(newest_version.values("pk")[:1]))
            ),
            page_check=FilteredRelation(
                "formal_checks", condition=Q(formal_checks__pk=Subquery(newest_check.values("pk")[:1]))
            ),
            viewer_role=Subquery(
                Membership.objects.filter(user_id=user.pk, organisation=OuterRef("organisation_id")).values("role")[:1]
            ),
        )
        related += ["page_version__submitted_by", "page_check__checked_by"]
    application = applications.select_related(*related).first()
    if application is None or application.state not in STAFF_VISIBLE_STATES or not is_officer_for(user, application):
        raise Http404
    if page:  # a filtered relation with no row leaves no attribute
        application.page_version = getattr(application, "page_version", None)
        application.page_check = getattr(application, "page_check", None)
    return application
