"""A year is printed as a year in every language: «2027», never «2 027» (bokmål's thousands
separator) or «2,027» (English) — on the applicant's budget page, the version page, the officer's
case page and the receipt PDF."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from applications.receipts import receipt_html
from tests.html import texts, visible_text
from tests.otp import force_login_verified
from tests.review import test_review_services as review_world

call_world = review_world.call_world  # the review tests' fixture: a call with officers and reviewers
submitted = review_world.submitted

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "en"]
GROUPED_YEAR = re.compile(r"\b20[\s\xa0\u202f.,']\d{2}\b")  # 2 027, 2,027, 2.027


def assert_years_plain(html: str) -> None:
    assert "2027" in texts(html, "th")  # COMPLETE_BUDGET's one year, as a column heading
    grouped = GROUPED_YEAR.findall(visible_text(html))
    assert not grouped, grouped


def in_language(client, user, language, *, staff=False):
    if staff:
        force_login_verified(client, user)
    else:
        client.force_login(user)
    client.cookies["django_language"] = language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_budget_and_version_pages_print_the_year_plainly(client, call_world, language):
    application = submitted(call_world)
    in_language(client, application.ansvarlig, language)
    budget = client.get(reverse("application-budget", args=[application.pk, "budsjett"]))
    assert budget.status_code == 200
    assert_years_plain(budget.text)
    version = client.get(reverse("application-version", args=[application.pk, 1]))
    assert version.status_code == 200
    assert_years_plain(version.text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_officers_case_page_prints_the_year_plainly(client, call_world, language):
    application = submitted(call_world)
    in_language(client, call_world["officers"][0], language, staff=True)
    response = client.get(reverse("staff-application", args=[application.pk]))
    assert response.status_code == 200
    assert_years_plain(response.text)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_receipt_pdf_prints_the_year_plainly(call_world, language):
    """The HTML WeasyPrint turns into the receipt (the PDF's text is this text)."""
    application = submitted(call_world)
    version = application.versions.get(number=1)
    with translation.override(language):
        assert_years_plain(receipt_html(version=version))
