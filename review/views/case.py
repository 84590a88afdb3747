"""The officer's case page (``staff-application``) and its actions, one small POST URL each:
formal check, reviewers, consensus, «Vurdering ferdig», decisions (four-eyes) and the simple
transitions. Which forms and buttons show comes from the workflow table (``available``).
Each POST redirects on success (with a message) and re-renders the page with what was typed (200)
when a form or a service refuses. ``staff_required`` comes first on every view, so a session
without two-factor is sent to the code step whatever the method."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import staff_required
from applications.errors import ApplicationError
from applications.permissions import actors_for
from applications.receipts import receipt_context
from applications.services.transitions import application_transition
from applications.workflow import (
    ASSESSMENT_DONE,
    BACK_TO_REVIEW,
    COMPLETE,
    DECIDE_APPROVE,
    DECIDE_REJECT,
    DECIDE_WAITLIST,
    FORMAL_APPROVE,
    FORMAL_REOPEN,
    START_FORMAL_CHECK,
    START_REPORTING,
    available,
)

from ..forms import AssignForm, ConsensusForm, DecisionForm, FormalCheckForm, TransitionCommentForm
from ..models import AssignmentState, Decision, Outcome
from ..selectors import access_case, audit_rows, staff_case
from ..services import (
    assessment_complete,
    case_view_record,
    consensus_set,
    decision_cancel,
    decision_confirm,
    decision_prepare,
    formal_check_record,
    formal_findings,
    officer_judgements,
    reviewer_assign,
    reviewer_suggestions,
    reviewers_unavailable_reason,
    settings_for,
)

# Transitions with nothing to fill in but (sometimes) a comment: one generic button each.
SIMPLE_TRANSITIONS = (START_FORMAL_CHECK, FORMAL_REOPEN, BACK_TO_REVIEW, START_REPORTING, COMPLETE)
DECIDE = {DECIDE_APPROVE: Outcome.APPROVE, DECIDE_REJECT: Outcome.REJECT, DECIDE_WAITLIST: Outcome.WAITLIST}
OPEN_ASSIGNMENT_STATES = (AssignmentState.AWAITING_DECLARATION, AssignmentState.ACTIVE)
SUGGESTIONS = 10


def _back(application):
    return redirect(reverse("staff-application", args=[application.pk]))


def _render(request, application, *, forms=None, status=200, confirm_error=""):
    """The case page. ``forms``: bound forms with errors, to show instead of fresh ones (for a
    simple transition: its name and its comment form)."""
    forms = forms or {}
    refused_name, refused_comment = forms.get("transition", (None, None))
    case = staff_case(application=application)
    offered = available(
        state=application.state,
        # From ``access_case(page=True)``: the person's role in the applicant came with the application.
        actors=actors_for(request.user, application, **_known_role(application)),
        deadline_passed=timezone.now() > application.deadline,
    )
    names = {t.name for t in offered}
    today = timezone.localdate()
    for assignment in case["assignments"]:
        assignment.overdue = assignment.state in OPEN_ASSIGNMENT_STATES and assignment.due_date < today
    # Reviewers are assigned, and consensus set, while the review runs (it ends with «Vurdering
    # ferdig»); consensus may still be adjusted when assessed (until «Tilbake til fagvurdering»).
    reviewing = ASSESSMENT_DONE in names
    findings = formal_findings(application, version=case["version"]) if FORMAL_APPROVE in names else []
    context = {
        "application": application,
        "case": case,
        "content": receipt_context(version=case["version"]) if case["version"] else None,
        "findings": findings,
        "officer_judgements": [
            {**f, "text": _in_language(f.get("statements"), f["details"][0])} for f in officer_judgements(findings)
        ],
        "justifications": [
            {**f, "text": _in_language(f.get("explanations"), f["details"][0])}
            for f in findings
            if f["code"] == "justification"
        ],
        "appeal_deadline": today + timedelta(weeks=settings_for(application.call).appeal_weeks),
        "formal_form": forms.get("formal")
        or (FormalCheckForm(judgements=officer_judgements(findings)) if FORMAL_APPROVE in names else None),
        "can_complete": reviewing,
        # (transition, its refused comment form or None): the reason shows again with why.
        "simple_transitions": [
            (t, refused_comment if t.name == refused_name else None) for t in offered if t.name in SIMPLE_TRANSITIONS
        ],
        "audit": audit_rows(application=application),
        "confirm_error": confirm_error,
    }
    if reviewing:
        suggestions = [(u, u.load) for u in reviewer_suggestions(application, count=SUGGESTIONS)]
        if suggestions:
            context["assign_form"] = forms.get("assign") or AssignForm()
            context["assign_form"].offer(suggestions)
        else:  # a form with no one to choose cannot work: say why instead
            context["assign_unavailable"] = reviewers_unavailable_reason(application)
    if reviewing or BACK_TO_REVIEW in names:
        bound = forms.get("consensus")
        context["consensus_forms"] = [
            (
                criterion,
                bound
                if bound is not None and bound.criterion.pk == criterion.pk
                else ConsensusForm(
                    criterion=criterion,
                    initial={"score": case["consensus"].get(criterion.pk, "")},
                ),
            )
            for criterion in case["criteria"]
        ]
    outcomes = [DECIDE[name] for name in DECIDE if name in names]
    open_decision = case["open_decision"]
    if outcomes and open_decision is None:
        context["decision_form"] = forms.get("decision") or DecisionForm(outcomes=outcomes, requested=case["requested"])
    if open_decision is not None:
        context["may_confirm"] = open_decision.prepared_by_id != request.user.pk
    return render(request, "review/pages/case.html", context, status=status)


def _known_role(application) -> dict:
    return {"organisation_role": application.viewer_role} if hasattr(application, "viewer_role") else {}


@staff_required
@require_safe
def case_page(request, pk):
    application = access_case(user=request.user, pk=pk, page=True)
    case_view_record(user=request.user, application=application)  # the case's access log
    return _render(request, application)


def _in_language(texts: dict | None, fallback: str) -> str:
    """A stored text in the reader's language, else the bokmål ``fallback``."""
    language = (get_language() or "nb").split("-")[0]
    return (texts or {}).get(language) or fallback


def _refused(form, error: ApplicationError):
    form.add_error(None, error.message)
    return form


@staff_required
@require_POST
def formal_check(request, pk):
    application = access_case(user=request.user, pk=pk)
    form = FormalCheckForm(request.POST, judgements=officer_judgements(formal_findings(application)))
    if form.is_valid():
        approved = form.cleaned_data["result"] == FormalCheckForm.APPROVE
        try:
            check = formal_check_record(
                application_id=application.pk,
                by_user=request.user,
                approved=approved,
                reasons=[] if approved else form.cleaned_data["reasons"],
                comment=form.cleaned_data["comment"],
                judged=form.cleaned_data.get("judged") or [],
            )
        except ApplicationError as error:
            _refused(form, error)
        else:
            if approved:
                messages.success(request, _("Søknaden er formelt godkjent og går til fagvurdering."))
            else:
                messages.success(
                    request,
                    _("Søknaden er avvist formelt. Klagefristen er %(date)s.")
                    % {"date": check.appeal_deadline.strftime("%d.%m.%Y")},
                )
            return _back(application)
    return _render(request, application, forms={"formal": form})


@staff_required
@require_POST
def assign(request, pk):
    application = access_case(user=request.user, pk=pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        reviewer = get_user_model().objects.filter(pk=form.cleaned_data["reviewer"], is_active=True).first()
        if reviewer is None:
            form.add_error("reviewer", _("Velg en fagekspert."))
        else:
            try:
                reviewer_assign(
                    application_id=application.pk,
                    reviewer=reviewer,
                    by_user=request.user,
                    due_date=form.cleaned_data["due_date"],
                )
            except ApplicationError as error:
                _refused(form, error)
            else:
                messages.success(
                    request, _("%(name)s er tildelt søknaden.") % {"name": reviewer.full_name or reviewer.email}
                )
                return _back(application)
    return _render(request, application, forms={"assign": form})


@staff_required
@require_POST
def consensus(request, pk):
    application = access_case(user=request.user, pk=pk)
    criterion_id = request.POST.get("criterion", "")
    criterion = application.call.criteria.filter(pk=criterion_id).first() if criterion_id.isdigit() else None
    if criterion is None:
        raise Http404
    form = ConsensusForm(request.POST, criterion=criterion)
    if form.is_valid():
        try:
            consensus_set(
                application_id=application.pk,
                criterion_id=criterion.pk,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                by_user=request.user,
            )
        except ApplicationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Omforent karakter er lagret."))
            return _back(application)
    return _render(request, application, forms={"consensus": form})


@staff_required
@require_POST
def assessed(request, pk):
    application = access_case(user=request.user, pk=pk)
    try:
        assessment_complete(application_id=application.pk, by_user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vurderingen er ferdig. Søknaden kan nå få vedtak."))
    return _back(application)


@staff_required
@require_POST
def transition(request, pk):
    """The table's simple transitions (start formal check, reopen after an appeal, back to review,
    reporting, complete): only those the table offers this person now."""
    application = access_case(user=request.user, pk=pk)
    name = request.POST.get("transition", "")
    offered = {
        t.name
        for t in available(
            state=application.state,
            actors=actors_for(request.user, application),
            deadline_passed=timezone.now() > application.deadline,
        )
    }
    if name not in SIMPLE_TRANSITIONS or name not in offered:
        messages.error(request, _("Det kan ikke gjøres med søknaden nå."))
        return _back(application)
    form = TransitionCommentForm(request.POST)
    if not form.is_valid():
        return _render(request, application, forms={"transition": (name, form)})
    try:
        application_transition(
            application_id=application.pk, name=name, by_user=request.user, comment=form.cleaned_data["comment"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Status er endret."))
    return _back(application)


@staff_required
@require_POST
def prepare(request, pk):
    application = access_case(user=request.user, pk=pk)
    names = {
        t.name
        for t in available(
            state=application.state,
            actors=actors_for(request.user, application),
            deadline_passed=timezone.now() > application.deadline,
        )
    }
    case = staff_case(application=application)
    form = DecisionForm(
        request.POST, outcomes=[DECIDE[name] for name in DECIDE if name in names], requested=case["requested"]
    )
    if form.is_valid():
        try:
            decision_prepare(
                application_id=application.pk,
                by_user=request.user,
                outcome=form.cleaned_data["outcome"],
                granted_amount=form.cleaned_data["granted_amount"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Vedtaket er forberedt. En annen saksbehandler må bekrefte det."))
            return _back(application)
    return _render(request, application, forms={"decision": form})


def _decision(request, pk):
    decision = Decision.objects.filter(pk=pk).only("pk", "application_id").first()
    if decision is None:
        raise Http404
    return decision, access_case(user=request.user, pk=decision.application_id)


@staff_required
@require_POST
def confirm(request, pk):
    decision, application = _decision(request, pk)
    try:
        decision_confirm(decision_id=decision.pk, by_user=request.user)
    except ApplicationError as error:
        return _render(request, application, confirm_error=error.message)
    messages.success(request, _("Vedtaket er bekreftet. Søkeren får vedtaksbrevet."))
    return _back(application)


@staff_required
@require_POST
def cancel(request, pk):
    decision, application = _decision(request, pk)
    try:
        decision_cancel(decision_id=decision.pk, by_user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Det forberedte vedtaket er trukket."))
    return _back(application)


urlpatterns = [
    path("saksbehandling/soknader/<int:pk>/", case_page, name="staff-application"),
    path("saksbehandling/soknader/<int:pk>/formell-kontroll/", formal_check, name="staff-application-formal-check"),
    path("saksbehandling/soknader/<int:pk>/tildel/", assign, name="staff-application-assign"),
    path("saksbehandling/soknader/<int:pk>/omforent/", consensus, name="staff-application-consensus"),
    path("saksbehandling/soknader/<int:pk>/vurdert/", assessed, name="staff-application-assessed"),
    path("saksbehandling/soknader/<int:pk>/status/", transition, name="staff-application-transition"),
    path("saksbehandling/soknader/<int:pk>/vedtak/", prepare, name="staff-decision-prepare"),
    path("saksbehandling/vedtak/<int:pk>/bekreft/", confirm, name="staff-decision-confirm"),
    path("saksbehandling/vedtak/<int:pk>/trekk/", cancel, name="staff-decision-cancel"),
]
