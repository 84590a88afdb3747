"""/sjekk/ in Chromium: accessible in nb, nn and en, empty and with a result; works without JavaScript."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.accessibility import assert_accessible
from tests.browser import choose_language

from .check_helpers import preset_schemes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBMIT = "form.portal-check__form button[type=submit]"


def _answer(page):
    page.locator("#id_virksomhet").select_option("statlig")
    page.locator("#id_offentlig_andel").fill("100")
    page.locator("#id_belop").fill("1 250 000")
    page.locator("#id_varighet").fill("48")
    page.locator("#id_offentlige_partnere").fill("1")
    page.locator("#id_forskningspartner_0").check()  # ja
    page.locator("input[name=erklaeringer]").first.check()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_empty_form_and_a_result_are_accessible(page, site_url, language):
    preset_schemes()
    page.goto(site_url + reverse("eligibility-check"))
    if language != "nb":
        choose_language(page, language)
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page, context=f"empty check ({language})")
    _answer(page)
    page.locator(SUBMIT).click()
    page.wait_for_load_state()
    expect(page.locator("#resultat")).to_be_visible()
    assert page.locator("[data-verdict]").count() == 7
    assert_accessible(page, context=f"check result ({language})")
    # An error is reported accessibly too, with what was typed kept.
    page.locator("#id_belop").fill("-5")
    page.locator(SUBMIT).click()
    page.wait_for_load_state()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    assert page.locator("#id_belop").input_value() == "-5"
    assert_accessible(page, context=f"check with an error ({language})")


def test_the_check_works_without_javascript_and_its_address_gives_the_same_result(page_nojs, site_url):
    preset_schemes()
    page = page_nojs
    page.goto(site_url + reverse("eligibility-check"))
    _answer(page)
    page.locator(SUBMIT).click()
    page.wait_for_load_state()
    query = parse_qs(urlparse(page.url).query)
    assert query["belop"] == ["1 250 000"]
    assert query["virksomhet"] == ["statlig"] and query["forskningspartner"] == ["ja"]
    assert query["erklaeringer"] == ["forankret-i-toppledelsen"]
    result = page.locator("#resultat").locator("xpath=..").inner_text()
    # Innovasjonspartnerskap allows at most 36 months: 48 fails, with the reason.
    assert "Prosjektet kan vare i høyst 36 måneder, oppgitt 48 måneder." in result
    assert page.locator("[data-verdict=eligible]").count() >= 1
    shared = page.url
    page.goto(shared)  # a fresh load of the shared address
    assert page.locator("#resultat").locator("xpath=..").inner_text() == result
    assert page.locator("#id_belop").input_value() == "1 250 000"
