"""The staff pages and the 403/404 pages in Chromium: accessible in nb, nn and en."""

import pytest
from django.urls import reverse

from accounts.models import StaffRole
from tests.accessibility import assert_accessible
from tests.browser import choose_language, log_in
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, SchemeFactory, StaffRoleFactory
from tests.otp import totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_staff_pages_are_accessible(page, site_url, language):
    scheme = SchemeFactory(name="Innovasjonsprosjekt i offentlig sektor")
    officer = StaffRoleFactory(agency=scheme.agencies.get(), schemes=[scheme]).user
    StaffRoleFactory(user=officer, agency=scheme.agencies.get(), role=StaffRole.Role.REVIEWER)
    log_in(page, site_url, officer.email, DEFAULT_PASSWORD, device=totp_device(officer))
    page.goto(site_url + reverse("home"))
    if language != "nb":
        choose_language(page, language)
    page.locator("header nav").get_by_role(
        "link", name={"nb": "Saksbehandling", "nn": "Saksbehandling", "en": "Case handling"}[language]
    ).click()
    assert_accessible(page, context=f"staff home ({language})")
    page.get_by_role("link", name=scheme.name).click()
    assert page.get_by_role("heading", level=1).inner_text() == scheme.name
    assert_accessible(page, context=f"staff scheme ({language})")


@pytest.mark.allow_console_errors  # the 403 and 404 answers are logged by Chromium
@pytest.mark.parametrize("language", ["nb", "en"])
def test_forbidden_and_not_found_pages_are_accessible_and_explain(page, site_url, language):
    applicant = MembershipFactory().user
    log_in(page, site_url, applicant.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("home"))
    if language != "nb":
        choose_language(page, language)
    response = page.goto(site_url + reverse("staff-home"))
    assert response.status == 403
    assert_accessible(page, context=f"403 ({language})")
    response = page.goto(site_url + "/finnes-ikke/")
    assert response.status == 404
    assert_accessible(page, context=f"404 ({language})")
