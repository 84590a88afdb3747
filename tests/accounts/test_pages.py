"""Login, Min side and the organisation page in Chromium: accessible in nb, nn and en, no JavaScript needed."""

import pytest
from django.urls import reverse

from organisations.models import Membership
from tests.accessibility import assert_accessible
from tests.browser import choose_language
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_without_javascript_and_a_failed_attempt_is_explained(page_nojs, site_url):
    user = UserFactory(email="kari@bergen.kommune.no")
    page_nojs.goto(site_url + reverse("login"))
    page_nojs.get_by_label("E-post").fill(user.email)
    page_nojs.get_by_label("Passord").fill("feil-passord")
    page_nojs.get_by_role("button", name="Logg inn").click()
    assert page_nojs.get_by_role("alert").inner_text().count("Feil e-post eller passord") == 1
    assert page_nojs.get_by_label("E-post").input_value() == user.email
    page_nojs.get_by_label("Passord").fill(DEFAULT_PASSWORD)
    page_nojs.get_by_role("button", name="Logg inn").click()
    page_nojs.wait_for_url(site_url + reverse("my-page"))
    page_nojs.get_by_role("button", name="Logg ut").click()
    assert page_nojs.get_by_role("heading", level=1).inner_text() == "Du er logget ut"


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_login_min_side_and_organisation_page_are_accessible(page, site_url, language):
    membership = MembershipFactory(role=Membership.Role.ANSVARLIG, user__email="per@bergen.kommune.no")
    MembershipFactory.create_batch(3, organisation=membership.organisation)
    page.goto(site_url + reverse("login"))
    if language != "nb":
        choose_language(page, language)
    assert_accessible(page, context=f"login ({language})")
    page.locator("#id_username").fill("per@bergen.kommune.no")
    page.locator("#id_password").fill("feil-passord")
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page, context=f"login with an error ({language})")
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_url(site_url + reverse("my-page"))
    assert_accessible(page, context=f"min side ({language})")
    page.get_by_role("link", name=membership.organisation.name).click()
    assert page.get_by_role("heading", level=1).inner_text() == membership.organisation.name
    assert_accessible(page, context=f"organisation ({language})")


@pytest.mark.allow_console_errors  # the lockout page answers 429, which Chromium logs
def test_the_lockout_page_is_accessible(page, site_url, settings):
    user = UserFactory(email="kari@bergen.kommune.no")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(site_url + reverse("login"))
        page.locator("#id_username").fill(user.email)
        page.locator("#id_password").fill("feil-passord")
        page.locator("form.portal-form button[type=submit]").click()
        page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "For mange mislykkede innlogginger"
    assert_accessible(page, context="lockout")


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_settings_page_is_accessible_and_saving_a_language_switches_the_portal(page, site_url, language):
    user = UserFactory(email="kari@bergen.kommune.no", language="nb")
    page.goto(site_url + reverse("login"))
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_url(site_url + reverse("my-page"))
    page.locator(f"a[href='{reverse('my-settings')}']").click()
    page.wait_for_url(site_url + reverse("my-settings"))
    assert_accessible(page, context="settings (nb)")

    page.locator("#id_full_name").fill("")
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert page.locator("#id_full_name").get_attribute("aria-invalid") == "true"
    assert_accessible(page, context="settings with an error (nb)")

    page.locator("#id_full_name").fill("Kari Nordmann")
    page.locator(f"input[name=language][value={language}]").check()
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_url(site_url + reverse("my-settings"))
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("status").count() == 1
    assert_accessible(page, context=f"settings saved ({language})")
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Kari Nordmann", language)
