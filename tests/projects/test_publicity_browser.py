"""The applicant's choice on the submit page and the officer's redaction page in Chromium:
accessible (axe) at 320 px; both are plain forms (no script needed)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application
from organisations.models import Membership
from projects.models import ProjectRedaction
from tests.accessibility import assert_accessible
from tests.applications.helpers import complete_application
from tests.browser import log_in, log_out
from tests.factories import (
    DEFAULT_PASSWORD,
    AgencyFactory,
    MembershipFactory,
    SchemeFactory,
    StaffRoleFactory,
    make_application,
)
from tests.otp import totp_device
from tests.projects.helpers import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_applicant_chooses_what_is_public_when_submitting(page, site_url, private_storage):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    complete_application(application, ansvarlig.user)
    log_out(page)
    log_in(page, site_url, ansvarlig.user.email, DEFAULT_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + reverse("application-submit", args=[application.pk]))
    assert_accessible(page, context="submit page with the public choice")
    page.get_by_label("Kommune og fylke").uncheck()
    page.get_by_label("Samarbeidspartnere").uncheck()
    page.get_by_role("button", name="Send inn", exact=True).click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.submitted_at is not None
    assert application.publicity == {
        "summary": True, "partners": False, "place": False, "period": True, "results": True,
    }  # fmt: skip


def test_an_officer_redacts_a_project(page, site_url):
    agency = AgencyFactory()
    scheme = SchemeFactory(agencies=[agency])
    project = make_project(scheme=scheme, title="Sensorer i heimen", summary="Kamera i stua.")
    officer = StaffRoleFactory(agency=agency, schemes=[scheme]).user
    log_out(page)
    log_in(page, site_url, officer.email, DEFAULT_PASSWORD, device=totp_device(officer))
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + reverse("project-detail", args=[project.pk]))
    page.get_by_role("link", name="Sladd offentlige opplysninger (saksbehandler)").click()
    page.wait_for_load_state()
    assert_accessible(page, context="redaction page")
    page.get_by_label("Sammendrag").check()
    page.get_by_role("button", name="Lagre sladdingen").click()
    page.wait_for_load_state()
    expect(page.locator(".ds-error-summary")).to_be_visible()  # no reason given
    assert page.get_by_label("Sammendrag").is_checked()  # what was ticked is kept
    assert_accessible(page, context="redaction page with an error")
    page.get_by_label("Begrunnelse").fill("Personopplysninger i sammendraget.")
    page.get_by_role("button", name="Lagre sladdingen").click()
    page.wait_for_load_state()
    assert "Personopplysninger i sammendraget." in page.locator("main").inner_text()
    assert ProjectRedaction.objects.filter(project=project).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert Application.objects.count() == 0
