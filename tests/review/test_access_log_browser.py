"""The access log in Chromium: the officer follows the case page's link to the log, which lists
their own opening of the case, passes axe in bokmål, nynorsk and English, and works without
JavaScript."""

import pytest
from django.urls import reverse

from tests.accessibility import assert_accessible
from tests.browser import choose_language, log_in
from tests.factories import DEFAULT_PASSWORD
from tests.otp import totp_device
from tests.review.test_review_services import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {"nb": "Tilgangslogg", "nn": "Tilgangslogg", "en": "Access log"}
VIEWED = {"nb": "Saksside", "nn": "Saksside", "en": "Case page"}


@pytest.mark.parametrize("fixture", ["page", "page_nojs"])
def test_the_officer_reads_the_log_from_the_case_page(request, fixture, site_url, call_world):
    page = request.getfixturevalue(fixture)
    application = submitted(call_world)
    officer = call_world["officers"][0]
    officer.full_name = "Ola Saksbehandler"
    officer.save()
    log_in(page, site_url, officer.email, DEFAULT_PASSWORD, device=totp_device(officer))
    page.goto(site_url + reverse("staff-application", args=[application.pk]))
    page.get_by_role("link", name="Tilgangslogg: hvem har åpnet saken og lastet ned filer").click()
    page.wait_for_load_state()
    for language in ("nb", "nn", "en"):
        if language != "nb":
            choose_language(page, language)
        assert page.get_by_role("heading", level=1).inner_text().startswith(HEADINGS[language])
        row = page.locator("tbody tr").first
        assert "Ola Saksbehandler" in row.inner_text()
        assert VIEWED[language] in row.inner_text()
        if fixture == "page":  # axe runs in the page's JavaScript
            assert_accessible(page, context=f"access log ({language})")
