"""The reviewer's (fagekspert's) pages: my assignments, and one assignment — first the conflict
declaration (only the title, the applicant and the partners are shown), then the content and the
review form. An assignment that is not mine, conflicted, or no longer under review is a 404."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import staff_required
from applications.errors import ApplicationError
from applications.receipts import receipt_context
from applications.workflow import REVIEWER_VISIBLE_STATES, State

from ..forms import ConflictForm, ReviewForm
from ..models import AssignmentState, Review
from ..selectors import access_assignment, reviewer_assignments
from ..services import conflict_declare, review_save

OPEN_STATES = (AssignmentState.AWAITING_DECLARATION, AssignmentState.ACTIVE)


@staff_required
@require_safe
def assignment_list(request):
    assignments = list(reviewer_assignments(user=request.user))
    today = timezone.localdate()
    for assignment in assignments:
        assignment.overdue = assignment.state in OPEN_STATES and assignment.due_date < today
        assignment.openable = (
            assignment.state != AssignmentState.CONFLICT and assignment.application.state in REVIEWER_VISIBLE_STATES
        )
    return render(request, "review/pages/assignments.html", {"assignments": assignments})


def _render(request, assignment, *, conflict_form=None, review_form=None):
    application = assignment.application
    version = application.versions.order_by("-number").first()
    content = version.content if version else {}
    context = {
        "assignment": assignment,
        "application": application,
        "title": content.get("title") or application.title,
        "applicant": (content.get("applicant") or {}).get("name") or application.organisation.name,
        "partner_names": [p["name"] for p in content.get("partners", [])],
    }
    if assignment.state == AssignmentState.AWAITING_DECLARATION:
        context["conflict_form"] = conflict_form or ConflictForm()
    else:
        review = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
        criteria = list(application.call.criteria.all())
        context.update(
            content=receipt_context(version=version) if version else None,
            review=review,
            criteria=criteria,
            review_form=review_form or ReviewForm(criteria=criteria, review=review),
            may_save=application.state == State.IN_REVIEW,
        )
    return render(request, "review/pages/assignment.html", context)


@staff_required
@require_safe
def assignment_page(request, pk):
    return _render(request, access_assignment(user=request.user, pk=pk))


@staff_required
@require_POST
def declare(request, pk):
    assignment = access_assignment(user=request.user, pk=pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        conflict = form.cleaned_data["conflict"] == ConflictForm.YES
        try:
            conflict_declare(
                assignment_id=assignment.pk, by_user=request.user, conflict=conflict, note=form.cleaned_data["note"]
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            if conflict:
                messages.success(request, _("Takk. Du er fritatt fra søknaden, og saksbehandleren har fått beskjed."))
                return redirect(reverse("reviewer-assignments"))
            messages.success(request, _("Takk. Søknaden er åpnet for deg."))
            return redirect(reverse("reviewer-assignment", args=[assignment.pk]))
    return _render(request, assignment, conflict_form=form)


@staff_required
@require_POST
def review(request, pk):
    assignment = access_assignment(user=request.user, pk=pk)
    if assignment.state == AssignmentState.AWAITING_DECLARATION:
        messages.error(request, _("Erklær habilitet før du vurderer."))
        return redirect(reverse("reviewer-assignment", args=[assignment.pk]))
    criteria = list(assignment.application.call.criteria.all())
    form = ReviewForm(request.POST, criteria=criteria)
    submit = request.POST.get("action") == "lever"
    if form.is_valid():
        try:
            review_save(
                assignment_id=assignment.pk,
                by_user=request.user,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Vurderingen er levert.") if submit else _("Utkastet er lagret."))
            return redirect(reverse("reviewer-assignment", args=[assignment.pk]))
    return _render(request, assignment, review_form=form)


urlpatterns = [
    path("vurdering/", assignment_list, name="reviewer-assignments"),
    path("vurdering/<int:pk>/", assignment_page, name="reviewer-assignment"),
    path("vurdering/<int:pk>/habilitet/", declare, name="reviewer-assignment-declare"),
    path("vurdering/<int:pk>/vurdering/", review, name="reviewer-assignment-review"),
]
