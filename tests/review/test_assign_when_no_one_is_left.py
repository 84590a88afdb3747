"""The officer's case page when no fagekspert is left to assign (issue 13): no form that cannot
work, and a sentence saying why."""

import pytest
from django.urls import reverse

from applications.models import Application
from review.models import ReviewAssignment
from review.services import reviewer_assign
from tests.factories import MembershipFactory
from tests.html import by_role, visible_text
from tests.otp import force_login_verified
from tests.review.test_review_services import due, in_review

pytestmark = pytest.mark.django_db


def case_page(client, application, officer):
    force_login_verified(client, officer)
    return client.get(reverse("staff-application", args=[application.pk])).text


def assign_buttons(page):
    return by_role(page, "button", "Tildel")


def test_when_every_reviewer_is_assigned_or_tied_to_the_applicant_the_form_is_replaced_by_why(client, call_world):
    application = in_review(call_world)
    officer = call_world["officers"][0]
    first, second, third = call_world["reviewers"]
    # With someone left, the form is there.
    reviewer_assign(application_id=application.pk, reviewer=first, by_user=officer, due_date=due())
    page = case_page(client, application, officer)
    assert "Tildel en fagekspert" in visible_text(page) and assign_buttons(page)
    reviewer_assign(application_id=application.pk, reviewer=second, by_user=officer, due_date=due())
    MembershipFactory(organisation=application.organisation, user=third)  # tied to the applicant
    page = case_page(client, application, officer)
    seen = visible_text(page)
    assert "Tildel en fagekspert" not in seen and not assign_buttons(page)
    assert "Frist for vurderingen" not in seen
    assert (
        "Ingen flere fageksperter kan tildeles: ordningen har 3 fageksperter, 2 er allerede tildelt søknaden "
        "og 1 er knyttet til søkeren eller en partner." in seen
    )
    # The assigned reviewers are still listed.
    assert first.full_name in seen and second.full_name in seen


def test_a_scheme_without_reviewers_says_so(client, call_world):
    application = in_review(call_world)
    for reviewer in call_world["reviewers"]:
        reviewer.staff_roles.all().delete()
    page = case_page(client, application, call_world["officers"][0])
    assert not assign_buttons(page)
    assert "Ingen fageksperter er knyttet til ordningen ennå. En administrator legger dem til." in visible_text(page)


def test_a_forged_assignment_when_no_one_is_left_is_refused_and_writes_nothing(client, call_world):
    application = in_review(call_world)
    officer = call_world["officers"][0]
    for reviewer in call_world["reviewers"]:
        reviewer_assign(application_id=application.pk, reviewer=reviewer, by_user=officer, due_date=due())
    force_login_verified(client, officer)
    response = client.post(
        reverse("staff-application-assign", args=[application.pk]),
        {"reviewer": call_world["reviewers"][0].pk, "due_date": due().strftime("%d.%m.%Y")},
    )
    assert response.status_code == 200
    assert "ordningen har 3 fageksperter, 3 er allerede tildelt søknaden" in visible_text(response)
    assert ReviewAssignment.objects.filter(application=application).count() == 3
    assert Application.objects.get(pk=application.pk).state == application.state
