"""An accepted offer puts the project in the bank (review's offer-accepted observer), in the same
transaction; a declined offer does not."""

import pytest
from django.urls import reverse

from applications.models import Application
from applications.services.transitions import application_transition
from applications.workflow import COMPLETE, START_REPORTING, State
from projects.models import Project, ProjectStatus
from review.services import offer_answer
from tests.html import texts
from tests.review.test_pages_case import as_staff
from tests.review.test_pages_result import offered  # noqa: F401 - fixture
from tests.review.test_review_services import call_world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_an_accepted_offer_becomes_a_public_project(client, offered):  # noqa: F811
    offer_answer(application_id=offered.pk, by_user=offered.ansvarlig, accept=True)
    project = Project.objects.get(application=offered)
    assert project.title == offered.title and project.amount_granted == 450_000
    assert project.organisation == offered.organisation and project.scheme == offered.call.scheme
    assert texts(client.get(reverse("project-bank")).text, "#resultater h3") == [offered.title]


def test_a_declined_offer_makes_no_project(offered):  # noqa: F811
    offer_answer(application_id=offered.pk, by_user=offered.ansvarlig, accept=False, comment="Vi takker nei.")
    assert not Project.objects.exists()


def test_the_officer_completing_the_project_shows_it_as_completed_in_the_bank(client, offered, call_world):  # noqa: F811
    offer_answer(application_id=offered.pk, by_user=offered.ansvarlig, accept=True)
    if Application.objects.get(pk=offered.pk).state == State.ACCEPTED:
        application_transition(application_id=offered.pk, name=START_REPORTING)  # the portal starts reporting
    url = reverse("staff-application-transition", args=[offered.pk])
    as_staff(client, call_world["reviewers"][0])  # a reviewer may not complete it
    client.post(url, {"transition": COMPLETE})
    assert Project.objects.get(application=offered).status == ProjectStatus.ONGOING
    as_staff(client, call_world["officers"][0])
    assert client.post(url, {"transition": COMPLETE}).status_code == 302
    assert Application.objects.get(pk=offered.pk).state == State.COMPLETED
    assert Project.objects.get(application=offered).status == ProjectStatus.COMPLETED
    client.logout()
    bank = client.get(reverse("project-bank"), {"status": ProjectStatus.COMPLETED.value})
    assert texts(bank.text, "#resultater h3") == [offered.title]
