"""The applicant's choice of what the project bank shows (at submit), carried onto the project when
the offer is accepted; an officer's redaction, with a reason, recorded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.publicity import chosen_parts
from organisations.models import Membership
from projects.models import Project, ProjectRedaction
from projects.services import RedactionRefused, project_redact
from review.services import offer_answer
from tests.applications.helpers import complete_application
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    OrganisationFactory,
    SchemeFactory,
    StaffRoleFactory,
    make_application,
)
from tests.html import select
from tests.otp import force_login_verified
from tests.projects.helpers import make_project
from tests.review.test_pages_result import offered  # noqa: F401 - fixture
from tests.review.test_review_services import call_world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(private_storage):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    complete_application(application, ansvarlig.user)
    return Application.objects.get(pk=application.pk), ansvarlig.user


def test_the_submit_page_asks_what_may_be_public_and_keeps_the_choice(client, ready):
    application, ansvarlig = ready
    client.force_login(ansvarlig)
    url = reverse("application-submit", args=[application.pk])
    page = client.get(url).text
    assert "Dette kan vises i den offentlige prosjektbanken" in page
    # Every part offered, ticked until the applicant chooses otherwise (the bank's former default).
    assert len(select(page, ".portal-publicity input[type=checkbox][checked]")) == 5
    client.post(url, {"publicity_shown": "1", "public_parts": ["summary", "results"]})
    application.refresh_from_db()
    assert application.publicity == {
        "summary": True, "partners": False, "place": False, "period": False, "results": True,
    }  # fmt: skip
    assert application.submitted_at is not None


def test_a_refused_submit_keeps_the_choice(client, ready):
    application, ansvarlig = ready
    application.call.closes_at = timezone.now() - timedelta(minutes=1)
    application.call.save(update_fields=["closes_at"])
    client.force_login(ansvarlig)
    client.post(reverse("application-submit", args=[application.pk]),
                {"publicity_shown": "1", "public_parts": ["partners"]})  # fmt: skip
    application.refresh_from_db()
    assert application.submitted_at is None
    assert chosen_parts(application.publicity) == {
        "summary": False, "partners": True, "place": False, "period": False, "results": False,
    }  # fmt: skip


def test_a_post_without_the_choice_changes_nothing(client, ready):
    application, ansvarlig = ready
    Application.objects.filter(pk=application.pk).update(publicity={"summary": False})
    client.force_login(ansvarlig)
    client.post(reverse("application-submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.publicity == {"summary": False} and application.submitted_at is not None


def test_the_accepted_project_shows_only_what_the_applicant_chose(client, offered):  # noqa: F811
    Application.objects.filter(pk=offered.pk).update(publicity={"summary": False, "partners": True, "place": False,
                                                                "period": True, "results": True})  # fmt: skip
    offered.refresh_from_db()
    offer_answer(application_id=offered.pk, by_user=offered.ansvarlig, accept=True)
    project = Project.objects.get(application=offered)
    assert (project.public_summary, project.public_place, project.public_partners) == (False, False, True)
    Project.objects.filter(pk=project.pk).update(summary="Hemmelig sammendrag")
    page = client.get(reverse("project-detail", args=[project.pk])).text
    assert "Hemmelig sammendrag" not in page
    assert offered.title in page and offered.organisation.name in page  # the transparency minimum


@pytest.fixture
def redaction_world():
    agency = AgencyFactory()
    scheme, other = SchemeFactory(agencies=[agency]), SchemeFactory(agencies=[agency])
    project = make_project(scheme=scheme, title="Sensorer i heimen", summary="Et sammendrag om tilsynskameraer.")
    officer = StaffRoleFactory(agency=agency, schemes=[scheme]).user
    other_officer = StaffRoleFactory(agency=agency, schemes=[other]).user
    return project, officer, other_officer


def test_an_officer_of_the_scheme_redacts_with_a_reason_and_it_is_recorded(client, redaction_world):
    project, officer, other_officer = redaction_world
    url = reverse("project-redaction", args=[project.pk])
    force_login_verified(client, other_officer)
    assert client.post(url, {"redacted": ["summary"], "reason": "Taushetsplikt"}).status_code == 403
    assert not ProjectRedaction.objects.exists()
    force_login_verified(client, officer)
    response = client.post(url, {"redacted": ["summary"], "reason": "Taushetsplikt"}, follow=True)
    assert "Sladdingen er lagret." in response.text
    project.refresh_from_db()
    assert project.redacted_summary and not project.shows("summary")
    assert "tilsynskamera" not in project.search_document  # the bank's search no longer finds the summary's words
    (row,) = ProjectRedaction.objects.all()
    assert (row.by, row.reason, row.added, row.removed) == (officer, "Taushetsplikt", ["summary"], [])
    assert "Taushetsplikt" in response.text
    page = client.get(reverse("project-detail", args=[project.pk])).text
    assert "Et sammendrag om tilsynskameraer." not in page


def test_a_redaction_without_a_reason_is_refused_and_nothing_is_written(client, redaction_world):
    project, officer, _other = redaction_world
    force_login_verified(client, officer)
    response = client.post(reverse("project-redaction", args=[project.pk]), {"redacted": ["partners"], "reason": ""})
    assert response.status_code == 200
    assert "Skriv hvorfor sladdingen endres." in response.text
    assert 'value="partners" id="id_redacted_1" checked' in response.text  # what was ticked is kept
    project.refresh_from_db()
    assert not project.redacted_partners and not ProjectRedaction.objects.exists()


def test_the_service_refuses_the_wrong_officer_and_an_unchanged_redaction(redaction_world):
    project, officer, other_officer = redaction_world
    with pytest.raises(RedactionRefused) as refused:
        project_redact(project_id=project.pk, by_user=other_officer, redacted={"summary"}, reason="x",
                       now=timezone.now())  # fmt: skip
    assert refused.value.code == "forbidden"
    with pytest.raises(RedactionRefused) as refused:
        project_redact(project_id=project.pk, by_user=officer, redacted=set(), reason="x", now=timezone.now())
    assert refused.value.code == "unchanged"
    assert not ProjectRedaction.objects.exists()


def test_only_officers_of_the_scheme_see_the_redaction_link(client, redaction_world):
    project, officer, other_officer = redaction_world
    url, link = reverse("project-detail", args=[project.pk]), reverse("project-redaction", args=[project.pk])
    assert link not in client.get(url).text
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    assert link not in client.get(url).text
    force_login_verified(client, other_officer)
    assert link not in client.get(url).text
    force_login_verified(client, officer)
    assert link in client.get(url).text
