"""The drafting pages in Chromium: start → a section saved in the background (htmx) and with the
Lagre button without JavaScript, a rejected field kept after reloading, a conflict between two
colleagues, and the axe check on every page and state (nb; the overview and a section in nn and en)."""

import pytest
from django.conf import settings
from django.urls import reverse

from applications.models import Application
from organisations.models import Membership
from tests.accessibility import assert_accessible
from tests.browser import choose_language, log_in
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, call_with_form, make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _section(site_url, application, key="om-prosjektet"):
    return site_url + reverse("application-section", args=[application.pk, key])


def _status(page):
    return page.locator("#lagrestatus")


def test_start_then_fill_a_section_saved_in_the_background_and_check_it(page, site_url):
    call = call_with_form(title="Innovasjon i kommunene")
    member = MembershipFactory(organisation__name="Bergen kommune (test)")
    log_in(page, site_url, member.user.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("scheme-detail", args=[call.scheme.slug]))
    page.get_by_role("link", name="Start søknad").click()
    page.wait_for_load_state()
    assert_accessible(page, context="start")
    page.get_by_role("button", name="Start søknad").click()
    page.wait_for_load_state()
    application = Application.objects.get()
    assert page.url == site_url + reverse("application-detail", args=[application.pk])
    assert_accessible(page, context="overview")

    page.get_by_role("link", name="Om prosjektet").click()
    page.wait_for_load_state()
    page.get_by_label("Prosjekttittel").fill("Digital tilsynsassistent")
    _status(page).get_by_text("Lagret kl.").wait_for()  # nothing pressed
    assert Application.objects.get().answers["tittel"] == "Digital tilsynsassistent"

    page.get_by_label("Varighet (måneder)").fill("hundre")
    _status(page).get_by_text("Varighet (måneder)").wait_for()
    assert Application.objects.get().pending_input == {"varighet": "hundre"}
    page.reload()
    assert page.get_by_label("Varighet (måneder)").input_value() == "hundre"
    assert page.get_by_label("Prosjekttittel").input_value() == "Digital tilsynsassistent"
    assert_accessible(page, context="section with a rejected field")

    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # logged out while writing: no login page swapped in
    page.get_by_label("Prosjekttittel").fill("Skrevet etter utlogging")
    _status(page).get_by_text("ble ikke lagret automatisk").wait_for()
    assert page.get_by_label("Prosjekttittel").input_value() == "Skrevet etter utlogging"
    assert Application.objects.get().answers["tittel"] == "Digital tilsynsassistent"
    log_in(page, site_url, member.user.email, DEFAULT_PASSWORD)

    page.goto(site_url + reverse("application-check", args=[application.pk]))
    assert page.get_by_role("link", name="Varighet (måneder)").count() == 1
    assert_accessible(page, context="check")
    page.goto(site_url + reverse("application-copy", args=[application.pk]))
    assert_accessible(page, context="copy")


def test_without_javascript_the_lagre_button_saves_the_section(page_nojs, site_url):
    application = make_application()
    log_in(page_nojs, site_url, application.created_by.email, DEFAULT_PASSWORD)
    page_nojs.goto(_section(site_url, application))
    page_nojs.get_by_label("Prosjekttittel").fill("Uten skript")
    page_nojs.get_by_role("button", name="Lagre").click()
    page_nojs.wait_for_load_state()
    assert page_nojs.get_by_text("Lagret kl.").count() == 1
    assert page_nojs.get_by_label("Prosjekttittel").input_value() == "Uten skript"
    assert Application.objects.get().answers["tittel"] == "Uten skript"


def test_a_conflict_between_two_colleagues_loses_nothing(page, browser, site_url):
    application = make_application()
    anne = application.created_by
    bjorn = MembershipFactory(organisation=application.organisation, user__full_name="Bjørn Kollega").user
    log_in(page, site_url, anne.email, DEFAULT_PASSWORD)
    context = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo")
    try:
        other = context.new_page()
        other.set_default_timeout(10_000)
        log_in(other, site_url, bjorn.email, DEFAULT_PASSWORD)
        page.goto(_section(site_url, application))
        other.goto(_section(site_url, application))

        other.get_by_label("Prosjekttittel").fill("Bjørns tittel")
        _status(other).get_by_text("Lagret kl.").wait_for()

        page.get_by_label("Prosjekttittel").fill("Annes tittel")
        _status(page).get_by_text("Bjørn Kollega lagret denne delen kl.").wait_for()
        assert Application.objects.get().answers["tittel"] == "Bjørns tittel"
        page.get_by_role("button", name="Lagre").click()
        page.wait_for_load_state()
        assert page.get_by_text("Bjørn Kollega lagret denne delen").count() == 1
        row = page.get_by_role("row", name="Prosjekttittel")
        assert "Bjørns tittel" in row.inner_text() and "Annes tittel" in row.inner_text()
        assert page.get_by_label("Prosjekttittel").input_value() == "Annes tittel"
        assert_accessible(page, context="section in conflict")

        page.get_by_role("button", name="Lagre mine endringer").click()
        page.wait_for_load_state()
        assert page.get_by_text("Lagret kl.").count() == 1
        assert Application.objects.get().answers["tittel"] == "Annes tittel"
    finally:
        context.close()


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_overview_and_a_section_are_accessible_in_nynorsk_and_english(page, site_url, language):
    application = make_application()
    ansvarlig = MembershipFactory(organisation=application.organisation, role=Membership.Role.ANSVARLIG).user
    log_in(page, site_url, ansvarlig.email, DEFAULT_PASSWORD)
    choose_language(page, language)
    page.goto(site_url + reverse("application-detail", args=[application.pk]))
    assert_accessible(page, context=f"overview ({language})")
    page.goto(_section(site_url, application, "problemstilling-og-behov"))
    assert_accessible(page, context=f"section ({language})")
