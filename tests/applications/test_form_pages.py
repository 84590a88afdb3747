"""The form editor and the preview in Chromium: accessible (axe) in every language, and usable
without JavaScript."""

import copy

import pytest
from playwright.sync_api import expect

from applications.admin import editor_url, preview_url
from applications.selectors import call_form_for
from applications.services import call_form_save
from tests.accessibility import assert_accessible
from tests.browser import choose_language, log_in
from tests.example_forms import FULL_FORM
from tests.factories import DEFAULT_PASSWORD, CallFactory, SuperuserFactory
from tests.otp import totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_preview_is_accessible_in_bokmaal_nynorsk_and_english_also_with_errors(page, site_url):
    admin = SuperuserFactory()
    call = CallFactory(title="Innovasjonsprosjekt 2026")
    call_form_save(call=call, stage=None, definition=FULL_FORM, by_user=admin)
    log_in(page, site_url, admin.email, DEFAULT_PASSWORD, device=totp_device(admin))
    page.goto(site_url + preview_url(call))
    expect(page.get_by_role("heading", name="Problemstilling og behov")).to_be_visible()
    assert_accessible(page, context="form preview (nb)")
    choose_language(page, "nn")
    expect(page.get_by_role("heading", name="Gjennomføring")).to_be_visible()
    expect(page.get_by_label("Kva behov skal prosjektet løyse?")).to_be_visible()
    assert_accessible(page, context="form preview (nn)")
    choose_language(page, "en")
    expect(page.get_by_role("heading", name="Problem and need")).to_be_visible()
    assert_accessible(page, context="form preview (en)")
    choose_language(page, "nb")
    page.get_by_role("button", name="Sjekk svarene").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Rett opp dette før du går videre:")).to_be_visible()
    assert_accessible(page, context="form preview with errors")


def test_the_preview_checks_answers_without_javascript(page_nojs, site_url):
    page = page_nojs
    admin = SuperuserFactory()
    call = CallFactory()
    amount = {"key": "belop", "type": "amount", "label": {"nb": "Beløp dere søker om"}, "required": True,
              "params": {"min_amount": 100_000, "max_amount": 2_000_000}}  # fmt: skip
    definition = copy.deepcopy(FULL_FORM)
    definition["sections"][0]["questions"].append(amount)
    call_form_save(call=call, stage=None, definition=definition, by_user=admin)
    log_in(page, site_url, admin.email, DEFAULT_PASSWORD, device=totp_device(admin))
    page.goto(site_url + preview_url(call))
    page.get_by_label("Beløp dere søker om").fill("99 000")
    page.get_by_label("Planlagt oppstart").fill("22.11.2026")
    page.get_by_role("button", name="Sjekk svarene").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Beløpet må være minst 100\u00a0000 kr.").first).to_be_visible()
    assert page.get_by_label("Beløp dere søker om").input_value() == "99 000"
    assert page.get_by_label("Planlagt oppstart").input_value() == "22.11.2026"


def test_the_editor_is_accessible_and_adds_saves_without_javascript(page_nojs, page, site_url):
    admin = SuperuserFactory()
    call = CallFactory()
    call_form_save(call=call, stage=None, definition=FULL_FORM, by_user=admin)
    log_in(page, site_url, admin.email, DEFAULT_PASSWORD, device=totp_device(admin))
    page.goto(site_url + editor_url(call))
    assert_accessible(page, context="form editor")

    nojs = page_nojs
    log_in(nojs, site_url, admin.email, DEFAULT_PASSWORD, device=totp_device(admin))
    nojs.goto(site_url + editor_url(call))
    last = nojs.locator("fieldset", has=nojs.get_by_role("heading", name="Del 6", exact=True))
    last.get_by_label("Nytt spørsmål av typen").select_option(label="Ja eller nei")
    last.get_by_role("button", name="Legg til spørsmålet i del 6").click()
    nojs.wait_for_load_state()
    new = nojs.locator(
        "fieldset.form-editor-question", has=nojs.get_by_role("heading", name="Spørsmål 6.3: Ja eller nei")
    )
    new.get_by_label("Nøkkel").fill("signert")
    new.get_by_label("Spørsmål (bokmål)").fill("Er søknaden signert?")
    nojs.get_by_role("button", name="Lagre skjemaet").last.click()
    nojs.wait_for_load_state()
    expect(nojs.get_by_text("Skjemaet er lagret.")).to_be_visible()
    last_section = call_form_for(call=call).definition["sections"][-1]
    assert last_section["questions"][-1]["key"] == "signert"
