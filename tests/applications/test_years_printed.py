"""A year is printed as a year in every language: «2027», never «2 027» (bokmål's thousands
separator) or «2,027» (English) — on the applicant's budget page, the version page, the officer's
case page and the receipt PDF."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from applications.receipts import receipt_html
from tests.otp import force_login_verified
from tests.review import test_review_services as review_world

call_world = review_world.call_world  # the review tests' fixture: a call with officers and reviewers
submitted = review_world.submitted

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "en"]
GROUPED_YEAR = re.compile(r"\b20[\s\xa0\u202f.,']\d{2}\b")  # 2 027, 2,027, 2.027


class _Text(HTMLParser):
    """The page's text as a reader gets it, and the text of each table column heading."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.headings: list[str] = []
        self._heading: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "th":
            self._heading = []

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "th" and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data):
        if self._skip:
            return
        self.parts.append(data)
        if self._heading is not None:
            self._heading.append(data)


def read(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def assert_years_plain(html: str) -> None:
    page = read(html)
    text = " ".join("".join(page.parts).split())
    assert "2027" in page.headings, page.headings  # COMPLETE_BUDGET's one year, as a column heading
    assert not GROUPED_YEAR.findall(text), GROUPED_YEAR.findall(text)


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
