"""After «Lagre» a screen-reader user hears what happened: the page comes back with the result in
a role="status" message and focus on it; after a validation error focus is on the error summary.
Server-side (autofocus in the page), so it holds with and without JavaScript."""

import pytest
from django.urls import reverse

from tests.accessibility import assert_accessible
from tests.browser import log_in
from tests.factories import DEFAULT_PASSWORD, make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _section(site_url, application, key="om-prosjektet"):
    return site_url + reverse("application-section", args=[application.pk, key])


def save_and_fail(page, site_url, *, axe=True):
    application = make_application()
    log_in(page, site_url, application.created_by.email, DEFAULT_PASSWORD)
    page.goto(_section(site_url, application))
    page.get_by_label("Prosjekttittel").fill("Lagret med knappen")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    focused = page.locator(":focus")
    page.locator("[role=status]:focus").wait_for()  # the page's CSP allows no eval: CSS finds the focus
    assert focused.count() == 1 and "lagret kl." in focused.inner_text().lower()  # or «Alt er lagret …»
    if axe:
        assert_accessible(page, context="saved")

    page.get_by_label("Varighet (måneder)").fill("hundre")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    page.locator(".ds-error-summary[role=alert]:focus").wait_for()
    assert "Skriv et tall" in focused.inner_text()  # the duration field's error
    if axe:
        assert_accessible(page, context="rejected")


def test_with_javascript_focus_goes_to_the_result_and_to_the_error_summary(page, site_url):
    save_and_fail(page, site_url)


def test_without_javascript_focus_goes_to_the_result_and_to_the_error_summary(page_nojs, site_url):
    save_and_fail(page_nojs, site_url, axe=False)  # axe needs JavaScript: the test above runs it
