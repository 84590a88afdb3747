"""The catalogue and scheme pages in Chromium: accessible in nb, nn and en; filtering works without
JavaScript (the GET form) and, with it, in place through htmx with the URL following."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from schemes.models import Theme
from tests.accessibility import assert_accessible
from tests.browser import choose_language
from tests.factories import AgencyFactory, AssessmentCriterionFactory, CallFactory, SchemeFactory
from tests.html import normalise
from tests.schemes.helpers import set_applicant_kinds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue():
    agency = AgencyFactory(name="Forskningsrådet")
    theme = Theme.objects.create(slug="helse-test", name="Helse", name_nn="Helse", name_en="Health")
    phd = SchemeFactory(name="Offentlig sektor-ph.d.", short_description="Doktorgrad for ansatte.", agencies=[agency])
    phd.themes.add(theme)
    set_applicant_kinds(phd, "kommune", "statlig")
    call = CallFactory(scheme=phd, title="Utlysning 2026", own_funding_min_percent=50, max_duration_months=48)
    AssessmentCriterionFactory(call=call, name="Forskning og innovasjon", weight=100, scale_labels={"7": "Fremragende"})
    stimulab = SchemeFactory(name="StimuLab", short_description="Tjenestedesign.")
    set_applicant_kinds(stimulab, "statlig")
    CallFactory(scheme=stimulab, min_amount=None, max_amount=None)
    SchemeFactory(name="StartOff", is_active=False)
    return {"phd": phd, "stimulab": stimulab, "theme": theme}


RESULT_NAMES = "#resultater .portal-scheme h3"


def result_names(page) -> list[str]:
    return [normalise(name) for name in page.locator(RESULT_NAMES).all_text_contents()]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_catalogue_and_scheme_page_are_accessible(page, site_url, catalogue, language):
    page.goto(site_url + reverse("scheme-catalogue"))
    if language != "nb":
        choose_language(page, language)
    assert_accessible(page, context=f"catalogue ({language})")
    page.goto(site_url + reverse("scheme-catalogue") + "?belop_fra=-5&arkiverte=true")
    expect(page.locator(".ds-error-summary")).to_be_visible()
    assert_accessible(page, context=f"catalogue with an error ({language})")
    page.locator("#resultater").get_by_role("link", name="Offentlig sektor-ph.d.").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offentlig sektor-ph.d.")
    assert_accessible(page, context=f"scheme page ({language})")


def test_filtering_without_javascript(page_nojs, site_url, catalogue):
    page = page_nojs
    page.goto(site_url + reverse("scheme-catalogue"))
    assert result_names(page) == ["Offentlig sektor-ph.d.", "StimuLab"]
    page.locator("#id_soker").select_option("kommune")
    page.get_by_role("button", name="Vis treff").click()
    page.wait_for_load_state()
    assert "soker=kommune" in page.url
    assert result_names(page) == ["Offentlig sektor-ph.d."]
    expect(page.locator("#treff")).to_have_text("1 ordning")
    page.locator("#id_arkiverte").check()
    page.locator("#id_soker").select_option("")
    page.get_by_role("button", name="Vis treff").click()
    page.wait_for_load_state()
    assert "StartOff" in result_names(page)
    page.locator("#id_belop_fra").fill("mange")
    page.get_by_role("button", name="Vis treff").click()
    page.wait_for_load_state()
    assert "Skriv beløpet som et tall" in page.locator(".ds-error-summary").inner_text()


def test_filtering_with_javascript_updates_the_list_in_place_and_the_url(page, site_url, catalogue):
    page.goto(site_url + reverse("scheme-catalogue"))
    page.evaluate("window.notReloaded = true")  # gone if the page were loaded again
    page.locator("#id_soker").select_option("kommune")
    page.wait_for_url(re.compile(r"soker=kommune"))
    # to_have_text waits for the swap and compares whitespace-normalised text, as a reader sees it.
    expect(page.locator(RESULT_NAMES)).to_have_text(["Offentlig sektor-ph.d."])
    expect(page.locator("#treff-status")).to_have_text("1 ordning")
    assert page.evaluate("window.notReloaded") is True
    page.locator("#id_q").fill("tjenestedesign")
    page.locator("#id_soker").select_option("")
    page.locator("#id_q").press("Enter")
    page.wait_for_url(re.compile(r"q=tjenestedesign"))
    expect(page.locator(RESULT_NAMES)).to_have_text(["StimuLab"])
    assert result_names(page) == ["StimuLab"]
    assert page.evaluate("window.notReloaded") is True
    # A bad amount shows its message beside the filters, still without a reload.
    page.locator("#id_belop_fra").fill("-1")
    page.locator("#id_belop_fra").press("Enter")
    expect(page.locator("#filterfeil .ds-error-summary")).to_contain_text("Beløpet kan ikke være negativt.")
    assert page.evaluate("window.notReloaded") is True
