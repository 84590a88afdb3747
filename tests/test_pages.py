"""The public pages in Chromium: accessible in all three languages, usable without JavaScript."""

import re

import pytest
from django.urls import reverse

from tests.accessibility import assert_accessible
from tests.browser import choose_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": {"nb": "Finn finansiering til innovasjon i offentlig sektor",
             "nn": "Finn finansiering til innovasjon i offentleg sektor",
             "en": "Find funding for public-sector innovation"},
    "accessibility-statement": {"nb": "Tilgjengelighetserklæring", "nn": "Tilgjengelegheitserklæring",
                                "en": "Accessibility statement"},
}  # fmt: skip


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("url_name", list(PAGES))
def test_page_is_accessible_in_every_language(page, site_url, url_name, language):
    page.goto(site_url + reverse(url_name))
    if language != "nb":
        choose_language(page, language)
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("heading", level=1).inner_text() == PAGES[url_name][language]
    assert_accessible(page, context=f"{url_name} ({language})")


def test_page_structure_skip_link_landmarks_and_footer_link(page, site_url):
    page.goto(site_url + "/")
    # The skip link is the first thing a keyboard reaches, and it moves focus to the main content.
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnhold"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "hovedinnhold"
    for role in ("banner", "main", "contentinfo"):
        assert page.get_by_role(role).count() == 1
    page.get_by_role("contentinfo").get_by_role("link", name="Tilgjengelighetserklæring").click()
    assert page.url == site_url + reverse("accessibility-statement")


def test_designsystemet_styles_are_loaded_from_our_own_origin(page, site_url):
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(site_url + "/")
    css = [r for r in responses if r.request.resource_type == "stylesheet"]
    assert len(css) == 4
    assert all(r.url.startswith(site_url + "/static/") and r.status == 200 for r in css)
    # The theme's tokens apply: the skip link is hidden until focused, the heading uses ds styles.
    font_size = page.eval_on_selector("h1", "el => getComputedStyle(el).getPropertyValue('--ds-size-mode-font-size')")
    assert font_size.strip() != ""


def test_language_switch_without_javascript_keeps_the_user_on_the_same_page(page_nojs, site_url):
    url = site_url + reverse("accessibility-statement")
    page_nojs.goto(url)
    choose_language(page_nojs, "en")
    assert page_nojs.url == url
    assert page_nojs.locator("html").get_attribute("lang") == "en"
    assert page_nojs.get_by_role("heading", level=1).inner_text() == "Accessibility statement"
    choose_language(page_nojs, "nn")
    assert page_nojs.url == url
    assert page_nojs.get_by_role("heading", level=1).inner_text() == "Tilgjengelegheitserklæring"
    # The chosen language is marked for assistive technology.
    pressed = page_nojs.get_by_role("button", name=re.compile("nynorsk", re.I)).get_attribute("aria-pressed")
    assert pressed == "true"


def test_assert_accessible_fails_listing_each_violation(page):
    page.set_content('<html><body><img src="data:,"><a href="#"></a><input type="text"></body></html>')
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page, context="a broken page")
    message = str(failure.value)
    assert "on a broken page" in message
    for rule in ("image-alt", "link-name", "label", "html-has-lang"):
        assert rule in message


def test_assert_accessible_fails_when_the_page_does_not_reflow(page):
    """At 320 px a wide table must scroll in its own region, and a long word must break."""
    head = '<html lang="nb"><head><title>Bred</title></head><body><main><h1>Bred side</h1>'
    table = "<table><tr>" + "<td>kolonne</td>" * 30 + "</tr></table>"
    page.set_content(head + table + "</main></body></html>")
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page, context="a wide page")
    assert "does not reflow on a wide page" in str(failure.value) and "table" in str(failure.value)
    assert page.viewport_size["width"] > 320  # put back
    region = '<div style="overflow-x:auto" tabindex="0" role="region" aria-label="Tabell">' + table + "</div>"
    page.set_content(head + region + "</main></body></html>")
    assert_accessible(page, context="a table in a scrolling region")


def test_every_wide_table_scrolls_in_a_labelled_focusable_region():
    """The wrapper that lets a table scroll sideways is a region a keyboard can reach and scroll,
    named so a screen reader says what it holds."""
    from pathlib import Path

    from django.conf import settings

    wrapper = re.compile(r"<div[^>]*\bportal-table-wrapper\b[^>]*>")
    for template in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        for tag in wrapper.findall(template.read_text()):
            assert 'tabindex="0"' in tag and 'role="region"' in tag, (template, tag)
            assert "aria-label=" in tag or "aria-labelledby=" in tag, (template, tag)
