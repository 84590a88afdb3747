"""A world for the work queue: two schemes at one agency, a call in each, officers, reviewers, and
many applications cloned (bulk-created) from one real submitted application, so the pages have
enough rows to show an N+1 while the test stays fast. Reviews are written as rows here: the
queue reads them, and the review services are tested in tests/review."""

from datetime import timedelta
from itertools import count

from django.db import transaction
from django.utils import timezone

from accounts.models import StaffRole
from applications.models import Application
from applications.workflow import State
from review.figures import application_figures_refresh
from review.models import AssignmentState, ConsensusScore, Review, ReviewAssignment, Score
from tests.factories import (
    AgencyFactory,
    AssessmentCriterionFactory,
    MembershipFactory,
    SchemeFactory,
    StaffRoleFactory,
    SuperuserFactory,
    call_with_form,
)

_numbers = count(1)


def build_world(*, submit_template):
    agency = AgencyFactory()
    scheme_x, scheme_y = SchemeFactory(agencies=[agency]), SchemeFactory(agencies=[agency])
    call_x = call_with_form(scheme=scheme_x, budget=1_000_000)
    call_y = call_with_form(scheme=scheme_y)
    criteria = [
        AssessmentCriterionFactory(call=call_x, order=1, weight=60),
        AssessmentCriterionFactory(call=call_x, order=2, weight=40),
    ]
    template = submit_template(call_x)
    return {
        "agency": agency,
        "scheme_x": scheme_x,
        "scheme_y": scheme_y,
        "call_x": call_x,
        "call_y": call_y,
        "criteria": criteria,
        "template": template,
        "officer_x": StaffRoleFactory(agency=agency, schemes=[scheme_x]).user,
        "officer_x2": StaffRoleFactory(agency=agency, schemes=[scheme_x]).user,
        "officer_y": StaffRoleFactory(agency=agency, schemes=[scheme_y]).user,
        "reviewers": [StaffRoleFactory(agency=agency, role=StaffRole.Role.REVIEWER).user for _ in range(3)],
        "admin": SuperuserFactory(),
        "applicant": MembershipFactory().user,
    }


def clone(world, n, *, state=State.SUBMITTED, call=None, submitted_at=None, title="Søknad"):
    """``n`` applications like the template (same organisation, form and answers) in ``state``,
    submitted at ``submitted_at`` (one minute apart, newest first, when not given)."""
    template, now = world["template"], timezone.now()
    rows = []
    for i in range(n):
        number = next(_numbers)
        rows.append(
            Application(
                call=call or world["call_x"],
                organisation_id=template.organisation_id,
                title=f"{title} {number}",
                state=state,
                form=template.form,
                answers=template.answers,
                reference=f"T-{number:06d}",
                created_by=template.created_by,
                submitted_at=submitted_at or now - timedelta(minutes=i + 1),
            )
        )
    return Application.objects.bulk_create(rows)


def reviewed(world, application, reviewer, scores, *, submitted=True, due_days=10):
    """An assignment for ``reviewer`` with ``scores`` per criterion (submitted, or left open)."""
    assignment = ReviewAssignment.objects.create(
        application=application,
        reviewer=reviewer,
        state=AssignmentState.SUBMITTED if submitted else AssignmentState.ACTIVE,
        due_date=timezone.localdate() + timedelta(days=due_days),
        assigned_by=world["officer_x"],
    )
    review = Review.objects.create(assignment=assignment, submitted_at=timezone.now() if submitted else None)
    for criterion, score in zip(world["criteria"], scores, strict=True):
        Score.objects.create(review=review, criterion=criterion, score=score)
    with transaction.atomic():  # as the review services do, in their transaction (browser tests run in none)
        application_figures_refresh(application_ids=[application.pk])
    return assignment


def consensus(world, application, criterion, score):
    ConsensusScore.objects.create(application=application, criterion=criterion, score=score, set_by=world["officer_x"])
    with transaction.atomic():
        application_figures_refresh(application_ids=[application.pk])
