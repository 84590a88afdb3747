"""An accepted offer puts the project in the bank (review's offer-accepted observer), in the same
transaction; a declined offer does not."""

import pytest
from django.urls import reverse

from projects.models import Project
from review.services import offer_answer
from tests.html import texts
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
