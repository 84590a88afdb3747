"""The reviewer's pages through the Django client: my assignments; the conflict declaration before
anything of the content shows; the review form on the criteria's scales, drafts and delivery."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffRole
from applications.models import Application
from applications.workflow import State
from review.models import AssignmentState, Review, ReviewAssignment
from review.services import conflict_declare, reviewer_assign
from schemes.models import AssessmentCriterion
from tests.factories import OrganisationFactory, StaffRoleFactory
from tests.review.test_pages_case import as_staff
from tests.review.test_review_services import due, in_review

pytestmark = pytest.mark.django_db
CONTENT = "Vi prøver ut en assistent."  # an answer of the submitted application


@pytest.fixture
def assigned(call_world):
    partner = OrganisationFactory(kind="forskning", name="Forskningsinstituttet AS")
    application = in_review(call_world, partner=partner)
    AssessmentCriterion.objects.filter(pk=call_world["criteria"][0].pk).update(
        scale_labels={"7": "Fremragende", "1": "Dårlig"}
    )
    reviewer = call_world["reviewers"][0]
    assignment = reviewer_assign(
        application_id=application.pk, reviewer=reviewer, by_user=call_world["officers"][0], due_date=due()
    )
    return application, assignment, reviewer


def page_url(assignment):
    return reverse("reviewer-assignment", args=[assignment.pk])


def test_before_declaring_only_the_title_applicant_and_partners_show(client, call_world, assigned):
    application, assignment, reviewer = assigned
    response = as_staff(client, reviewer).get(page_url(assignment))
    assert response.status_code == 200
    page = response.text
    assert application.title in page and application.organisation.name in page
    assert "Forskningsinstituttet AS" in page
    assert "Habilitetserklæring" in page
    assert CONTENT not in page and "/vedlegg/" not in page and "Lever vurdering" not in page


def test_a_conflict_needs_a_note_and_then_closes_the_application(client, call_world, assigned):
    _application, assignment, reviewer = assigned
    as_staff(client, reviewer)
    url = reverse("reviewer-assignment-declare", args=[assignment.pk])
    response = client.post(url, {"conflict": "ja", "note": ""})
    assert response.status_code == 200 and "Skriv kort hvorfor du er inhabil." in response.text
    assert ReviewAssignment.objects.get().state == AssignmentState.AWAITING_DECLARATION
    response = client.post(url, {"conflict": "ja", "note": "Tidligere arbeidsgiver"})
    assert response.status_code == 302 and response["Location"] == reverse("reviewer-assignments")
    assert ReviewAssignment.objects.get().state == AssignmentState.CONFLICT
    assert client.get(page_url(assignment)).status_code == 404
    listing = client.get(reverse("reviewer-assignments")).text
    assert "Inhabil" in listing and page_url(assignment) not in listing


def test_no_conflict_opens_the_content_and_the_review_form(client, call_world, assigned):
    application, assignment, reviewer = assigned
    as_staff(client, reviewer)
    response = client.post(reverse("reviewer-assignment-declare", args=[assignment.pk]), {"conflict": "nei"})
    assert response.status_code == 302
    page = client.get(page_url(assignment)).text
    assert CONTENT in page
    stored_file_id = application.files.first().stored_file_id
    assert reverse("file-download", args=[stored_file_id]) in page
    assert "7 – Fremragende" in page and "1 – Dårlig" in page
    assert 'type="radio"' in page
    assert "Lagre utkast" in page and "Lever vurdering" in page


def test_unassigned_reviewers_get_404(client, call_world, assigned):
    _application, assignment, _reviewer = assigned
    other = call_world["reviewers"][1]
    as_staff(client, other)
    assert client.get(page_url(assignment)).status_code == 404
    assert (
        client.post(reverse("reviewer-assignment-declare", args=[assignment.pk]), {"conflict": "nei"}).status_code
        == 404
    )
    assert ReviewAssignment.objects.get().state == AssignmentState.AWAITING_DECLARATION
    officer = call_world["officers"][0]
    assert as_staff(client, officer).get(page_url(assignment)).status_code == 404


def _post(call_world, **extra):
    first, second = call_world["criteria"]
    data = {
        f"score_{first.pk}": "6",
        f"comment_{first.pk}": "Sterk idé",
        f"comment_{second.pk}": "Uklar plan",
        "comment": "Samlet sett bra",
    }
    data.update(extra)
    return data


def test_drafts_are_saved_and_an_incomplete_delivery_keeps_what_was_typed(client, call_world, assigned):
    _application, assignment, reviewer = assigned
    conflict_declare(assignment_id=assignment.pk, by_user=reviewer, conflict=False)
    as_staff(client, reviewer)
    url = reverse("reviewer-assignment-review", args=[assignment.pk])
    response = client.post(url, _post(call_world, action="lever"))
    assert response.status_code == 200
    assert "Sett karakter på alle kriteriene før du leverer." in response.text
    assert "Uklar plan" in response.text and "Samlet sett bra" in response.text
    assert not Review.objects.exists()
    assert client.post(url, _post(call_world, action="utkast")).status_code == 302
    review = Review.objects.get()
    assert review.submitted_at is None and review.comment == "Samlet sett bra"
    page = client.get(page_url(assignment)).text
    assert "Sterk idé" in page  # the draft is shown again
    second = call_world["criteria"][1]
    response = client.post(
        url, _post(call_world, action="lever", recommendation="stott", **{f"score_{second.pk}": "3"})
    )
    assert response.status_code == 302
    assert Review.objects.get().submitted_at is not None
    assert ReviewAssignment.objects.get().state == AssignmentState.SUBMITTED


def test_a_score_off_the_scale_is_refused(client, call_world, assigned):
    _application, assignment, reviewer = assigned
    conflict_declare(assignment_id=assignment.pk, by_user=reviewer, conflict=False)
    as_staff(client, reviewer)
    first = call_world["criteria"][0]
    response = client.post(
        reverse("reviewer-assignment-review", args=[assignment.pk]), _post(call_world, **{f"score_{first.pk}": "9"})
    )
    assert response.status_code == 200 and "Velg et gyldig valg" in response.text
    assert not Review.objects.exists()


def test_the_application_closes_for_the_reviewer_when_it_leaves_the_review(client, call_world, assigned):
    application, assignment, reviewer = assigned
    conflict_declare(assignment_id=assignment.pk, by_user=reviewer, conflict=False)
    as_staff(client, reviewer)
    Application.objects.filter(pk=application.pk).update(state=State.ASSESSED)
    page = client.get(page_url(assignment)).text
    assert "Vurderingen er avsluttet for denne søknaden." in page and "Lever vurdering" not in page
    Application.objects.filter(pk=application.pk).update(state=State.OFFER_SENT)
    assert client.get(page_url(assignment)).status_code == 404


def test_the_list_shows_my_assignments_with_due_dates_in_a_fixed_number_of_queries(
    client, call_world, django_assert_max_num_queries
):
    reviewer = StaffRoleFactory(agency=call_world["call"].scheme.agencies.get(), role=StaffRole.Role.REVIEWER).user
    officer = call_world["officers"][0]
    for _n in range(30):
        application = in_review(call_world)
        reviewer_assign(application_id=application.pk, reviewer=reviewer, by_user=officer, due_date=due())
    ReviewAssignment.objects.filter(reviewer=reviewer).update(due_date=timezone.localdate() - timedelta(days=2))
    as_staff(client, reviewer)
    client.get(reverse("reviewer-assignments"))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("reviewer-assignments"))
    assert response.text.count("Venter på habilitetserklæring") == 30
    assert response.text.count("Forfalt") == 30
    as_staff(client, call_world["reviewers"][1])
    assert "Du har ingen søknader å vurdere." in client.get(reverse("reviewer-assignments")).text


def test_the_review_form_has_a_fixed_number_of_queries(client, call_world, assigned, django_assert_max_num_queries):
    _application, assignment, reviewer = assigned
    conflict_declare(assignment_id=assignment.pk, by_user=reviewer, conflict=False)
    as_staff(client, reviewer)
    client.get(page_url(assignment))
    with django_assert_max_num_queries(12):
        assert client.get(page_url(assignment)).status_code == 200
