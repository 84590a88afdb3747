"""The project bank in Chromium: accessible in nb, nn and en; filtering works without JavaScript."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.accessibility import assert_accessible
from tests.browser import choose_language
from tests.factories import SchemeFactory
from tests.html import normalise
from tests.projects.helpers import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bank():
    make_project(title="Velferdsteknologi i hjemmetjenesten", summary="Digitalt tilsyn.", results="Færre besøk.")
    make_project(title="Tjenestedesign for NAV", year=2021)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_bank_and_a_project_page_are_accessible(page, site_url, bank, language):
    page.goto(site_url + reverse("project-bank"))
    if language != "nb":
        choose_language(page, language)
    assert_accessible(page, context=f"project bank ({language})")
    page.goto(site_url + reverse("project-bank") + "?belop_fra=-5")
    expect(page.locator(".ds-error-summary")).to_be_visible()
    assert_accessible(page, context=f"project bank with an error ({language})")
    page.goto(site_url + reverse("project-bank"))
    page.locator("#resultater").get_by_role("link", name="Velferdsteknologi i hjemmetjenesten").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Velferdsteknologi i hjemmetjenesten")
    assert_accessible(page, context=f"project page ({language})")


def test_searching_without_javascript_and_at_320_px(page_nojs, site_url, bank):
    page = page_nojs
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + reverse("project-bank"))
    page.get_by_label("Søk").fill("tjenestedesignet")
    page.get_by_role("button", name="Vis treff").click()
    page.wait_for_load_state()
    assert "q=tjenestedesignet" in page.url
    names = [normalise(t) for t in page.locator("#resultater h3").all_text_contents()]
    assert names == ["Tjenestedesign for NAV"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_statistics_page_is_accessible_and_fits_320_px(page, site_url, bank, language):
    make_project(title="Avslått", decision="avslatt", amount_granted=None, year=2021)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + reverse("statistics"))
    if language != "nb":
        choose_language(page, language)
    assert page.get_by_role("img").count() == 7
    assert_accessible(page, context=f"statistics ({language})")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.goto(site_url + reverse("statistics") + "?fra=2030&til=2020")
    assert_accessible(page, context=f"statistics with an error ({language})")


@pytest.fixture
def kpis():
    from tests.projects.test_kpi import make_programme

    make_programme(name="Nåværende periode")
    make_programme(name="Forrige periode", first_year=2018, last_year=2021)
    make_project(title="Innovasjonspartnerskap", scheme=SchemeFactory(instrument="innovasjonspartnerskap"), year=2023)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_procurement_kpi_page_is_accessible_and_fits_320_px(page, site_url, kpis, language):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + reverse("procurement-kpis"))
    if language != "nb":
        choose_language(page, language)
    assert page.get_by_role("img").count() == 3
    assert_accessible(page, context=f"procurement KPIs ({language})")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.goto(site_url + reverse("procurement-kpis") + "?periode=999999")
    expect(page.locator(".ds-error-summary")).to_be_visible()
    assert_accessible(page, context=f"procurement KPIs with an error ({language})")


def test_choosing_a_period_without_javascript(page_nojs, site_url, kpis):
    page = page_nojs
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + reverse("procurement-kpis"))
    page.get_by_label("Programperiode").select_option(label="Forrige periode 2018–2021")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_load_state()
    assert "periode=" in page.url
    expect(page.get_by_text("Perioden 2018–2021.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
