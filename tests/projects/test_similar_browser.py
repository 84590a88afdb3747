"""The similar projects of an application and of a project in Chromium: axe, 320 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application
from organisations.models import Membership
from tests.accessibility import assert_accessible
from tests.browser import log_in, log_out
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, make_application
from tests.projects.helpers import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOME = "Velferdsteknologi i hjemmetjenesten"


def test_the_applicant_finds_similar_projects_from_the_draft(page, site_url):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    Application.objects.filter(pk=application.pk).update(title=HOME, answers={"sammendrag": "Digitalt tilsyn."})
    project = make_project(title=f"{HOME} i Bodø", summary="Digitalt tilsyn i heimen.")
    make_project(title=f"{HOME} i Tromsø", summary="Digitalt tilsyn.")
    log_out(page)
    log_in(page, site_url, ansvarlig.user.email, DEFAULT_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + reverse("application-detail", args=[application.pk]))
    similar = page.locator(".portal-similar")
    assert "felles ord: velferdsteknologi" in similar.inner_text()  # on the draft itself
    assert_accessible(page, context="a draft with similar projects")
    page.get_by_role("link", name="Se alle lignende prosjekter").click()
    page.wait_for_load_state()
    assert "felles ord: velferdsteknologi" in page.locator("main").inner_text()
    assert_accessible(page, context="similar projects of a draft")
    page.get_by_role("link", name=f"{HOME} i Bodø").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("project-detail", args=[project.pk]))
    expect(page.locator(".portal-similar").get_by_role("link", name=f"{HOME} i Tromsø")).to_be_visible()
    assert_accessible(page, context="project page with similar projects")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
