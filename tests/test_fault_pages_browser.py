"""The throttled page and the 500/503 pages in Chromium: accessible (axe) in nb, nn and en."""

import pytest
from django.template import loader
from django.urls import reverse
from django.utils import translation

from tests.accessibility import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.allow_console_errors  # the 429 answer itself is what the test asks for
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_throttled_page_is_accessible(page, site_url, settings, language):
    settings.THROTTLES = {**settings.THROTTLES, "login-ip": (1, 900)}
    user = UserFactory(email="kari@bergen.kommune.no")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
    for _attempt in range(2):
        page.goto(site_url + reverse("login"))
        page.locator("#id_username").fill(user.email)
        page.locator("#id_password").fill("feil-passord")
        page.locator("form.portal-form button[type=submit]").click()
        page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page, context=f"throttled ({language})")


@pytest.mark.parametrize("template", ["500.html", "503.html"])
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_fault_pages_are_accessible(page, site_url, template, language):
    with translation.override(language):
        html = loader.render_to_string(template)
    page.goto(site_url + reverse("home"))  # the portal's origin, so its static files load
    page.set_content(html)
    assert_accessible(page, context=f"{template} ({language})")
