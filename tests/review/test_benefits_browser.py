"""The benefits pages in Chromium: the draft's benefit rows (add another, save) and the officers'
benefits list pass axe at 320 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import ExpectedBenefit
from organisations.models import Membership
from tests.accessibility import assert_accessible
from tests.browser import log_in, log_out
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, make_application
from tests.otp import totp_device
from tests.review.test_benefits import benefits_of
from tests.review.test_reports_pages import in_reporting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_applicant_adds_two_benefits(page, site_url):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    log_out(page)
    log_in(page, site_url, ansvarlig.user.email, DEFAULT_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + reverse("application-detail", args=[application.pk]))
    page.get_by_role("link", name="Forventede gevinster").click()
    page.wait_for_load_state()
    assert_accessible(page, context="benefits page")
    page.locator("#id_gevinst-0-kind").select_option("tid")
    page.locator("#id_gevinst-0-indicator").fill("Timer på reiser per måned")
    page.locator("#id_gevinst-0-baseline").fill("420")
    page.locator("#id_gevinst-0-target").fill("300")
    page.locator("#id_gevinst-0-due_on").fill("31.12.2028")
    page.get_by_role("button", name="Legg til en gevinst").click()
    page.wait_for_load_state()
    assert page.locator("#id_gevinst-0-indicator").input_value() == "Timer på reiser per måned"
    page.locator("#id_gevinst-1-kind").select_option("miljo")
    page.locator("#id_gevinst-1-indicator").fill("Kjørte kilometer")
    page.get_by_role("button", name="Lagre gevinstene").click()
    page.wait_for_load_state()
    expect(page.locator(".ds-error-summary")).to_be_visible()  # the second row is not complete
    assert_accessible(page, context="benefits page with errors")
    page.locator("#id_gevinst-1-baseline").fill("180 000")
    page.locator("#id_gevinst-1-target").fill("140 000")
    page.locator("#id_gevinst-1-due_on").fill("31.12.2029")
    page.get_by_role("button", name="Lagre gevinstene").click()
    page.wait_for_load_state()
    assert "Gevinstene er lagret." in page.locator("main").inner_text()
    assert list(ExpectedBenefit.objects.values_list("indicator", flat=True).order_by("position")) == [
        "Timer på reiser per måned", "Kjørte kilometer",
    ]  # fmt: skip
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_officers_benefits_list_is_accessible(page, site_url, call_world):
    application = in_reporting(call_world, days_late=(-5, -5, 12))
    benefits_of(application, application.ansvarlig, n=2)
    officer = call_world["officers"][0]
    log_out(page)
    log_in(page, site_url, officer.email, DEFAULT_PASSWORD, device=totp_device(officer))
    page.goto(site_url + reverse("staff-benefits"))
    assert "Forsinkede gevinstrapporter (1)" in page.locator("main").inner_text()
    assert_accessible(page, context="officers' benefits list")
