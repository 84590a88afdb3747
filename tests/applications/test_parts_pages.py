"""The partners, budget and attachment pages in Chromium: the htmx lookup and live totals, the same
flows without JavaScript, a rejected upload keeping the draft, and axe in nb (with errors) and in
nn and en."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application
from applications.services import application_file_add, application_section_save
from tests.accessibility import assert_accessible
from tests.applications.helpers import post_data
from tests.attachments.files import pdf_bytes
from tests.browser import choose_language, log_in
from tests.factories import DEFAULT_PASSWORD, FULL_FORM_POSTS, OrganisationFactory, call_with_form, make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def app():
    call = call_with_form(own_funding_min_percent=50, min_amount=100_000, max_amount=2_000_000)
    return make_application(call=call)


def _member(application):
    return application.organisation.memberships.get().user


def _open(page, site_url, app, name, key):
    log_in(page, site_url, _member(app).email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse(name, args=[app.pk, key]))


def test_a_partner_is_added_by_number_with_the_lookup_showing_its_name(page, site_url, app):
    partner = OrganisationFactory(name="Senter for tjenesteinnovasjon", kind="forskning")
    _open(page, site_url, app, "application-partners", "partnere")
    assert_accessible(page, context="partners (nb)")
    page.get_by_label("Organisasjonsnummer").fill(partner.org_number)
    page.locator("#oppslag").get_by_text("Registrert: Senter for tjenesteinnovasjon").wait_for()
    page.get_by_label("Organisasjonsnummer").fill("974 760 673")
    page.locator("#oppslag").get_by_text("Ikke registrert – fyll inn navn og type.").wait_for()
    page.get_by_label("Organisasjonsnummer").fill(partner.org_number)
    page.locator("#oppslag").get_by_text("Registrert: Senter for tjenesteinnovasjon").wait_for()
    page.get_by_label("Rolle i prosjektet").select_option("research-partner")
    page.get_by_role("button", name="Legg til partner").click()
    page.wait_for_load_state()
    expect(page.get_by_role("cell", name="Senter for tjenesteinnovasjon", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Forskningspartner", exact=True)).to_be_visible()
    assert_accessible(page, context="partners with one partner (nb)")
    # An error state: a number with a wrong check digit keeps what was typed.
    page.get_by_label("Organisasjonsnummer").fill("974760674")
    page.get_by_role("button", name="Legg til partner").click()
    page.wait_for_load_state()
    assert page.get_by_label("Organisasjonsnummer").input_value() == "974760674"
    expect(page.get_by_text("Rett opp dette før du går videre:")).to_be_visible()
    assert_accessible(page, context="partners with an error (nb)")
    for language in ("nn", "en"):
        choose_language(page, language)
        assert_accessible(page, context=f"partners ({language})")


def test_an_unknown_partner_is_added_without_javascript(page_nojs, site_url, app):
    page = page_nojs
    _open(page, site_url, app, "application-partners", "partnere")
    page.get_by_label("Organisasjonsnummer").fill("974 760 673")
    page.get_by_label("Rolle i prosjektet").select_option("co-funder")
    page.get_by_role("button", name="Legg til partner").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Organisasjonsnummeret er ikke registrert i portalen.")).to_be_visible()
    assert page.get_by_label("Organisasjonsnummer").input_value() == "974 760 673"
    page.get_by_label("Navn på organisasjonen").fill("Ny medfinansiør AS")
    page.get_by_label("Type virksomhet").select_option("bedrift")
    page.get_by_role("button", name="Legg til partner").click()
    page.wait_for_load_state()
    expect(page.get_by_role("cell", name="Ny medfinansiør AS", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="974760673", exact=True)).to_be_visible()


def _fill_budget(page):
    page.get_by_label("Personal og indirekte kostnader 2027").fill("400 000")
    page.get_by_label("Utstyr 2028").fill("600 000 kr")


def test_the_budget_totals_and_the_co_financing_check_follow_the_typing_and_it_saves(page, site_url, app):
    _open(page, site_url, app, "application-budget", "budsjett")
    page.get_by_label("Første år").fill("2027")
    page.get_by_label("Antall år").select_option("2")
    page.get_by_role("button", name="Oppdater år").click()
    page.wait_for_load_state()
    assert_accessible(page, context="budget (nb)")
    _fill_budget(page)
    page.locator("#sum-kostnader").get_by_text("1 000 000 kr").wait_for()
    page.locator("#sum-personal").get_by_text("400 000 kr").wait_for()
    page.locator("#sum-2028").get_by_text("600 000 kr").wait_for()
    page.get_by_label("Egenfinansiering").fill("300 000")
    page.locator("#omsokt").get_by_text("700 000 kr").wait_for()  # the amount applied for follows the typing
    warning = page.locator("#budsjett-kontroll")
    warning.get_by_text("Egenfinansieringen må være minst 50,0 % av kostnadene, men er 30,0 %.").wait_for()
    page.get_by_label("Egenfinansiering").fill("500 000")
    page.locator("#omsokt").get_by_text("500 000 kr").wait_for()
    warning.get_by_text("Budsjettet oppfyller utlysningens krav").wait_for()
    page.get_by_role("button", name="Lagre budsjettet").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Budsjettet er lagret kl.")).to_be_visible()
    assert Application.objects.get(pk=app.pk).answers["budsjett"]["rows"] == {
        "personal": {"2027": "400000"},
        "utstyr": {"2028": "600000"},
    }
    # A cell that is not an amount: an error there, the rest kept (and accessible).
    page.get_by_label("Utstyr 2027").fill("mye")
    page.get_by_role("button", name="Lagre budsjettet").click()
    page.wait_for_load_state()
    assert page.get_by_label("Utstyr 2027").input_value() == "mye"
    expect(page.get_by_text("Rett opp dette før du går videre:")).to_be_visible()
    assert_accessible(page, context="budget with an error (nb)")
    for language in ("nn", "en"):
        choose_language(page, language)
        assert_accessible(page, context=f"budget ({language})")


def test_the_budget_is_saved_without_javascript(page_nojs, site_url, app):
    page = page_nojs
    _open(page, site_url, app, "application-budget", "budsjett")
    page.get_by_label("Første år").fill("2027")
    page.get_by_label("Antall år").select_option("2")
    page.get_by_role("button", name="Oppdater år").click()
    page.wait_for_load_state()
    _fill_budget(page)
    page.get_by_label("Egenfinansiering").fill("500 000")
    page.get_by_role("button", name="Lagre budsjettet").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Budsjettet er lagret kl.")).to_be_visible()
    assert page.locator("#sum-kostnader").inner_text().replace("\xa0", " ") == "1 000 000 kr"
    assert page.get_by_label("Utstyr 2028").input_value().replace("\xa0", " ") == "600 000"
    assert page.locator("#omsokt").inner_text().replace("\xa0", " ") == "500 000 kr"


def test_a_rejected_upload_keeps_the_draft(page, site_url, app, private_storage, tmp_path):
    user = _member(app)
    section = FULL_FORM_POSTS["om-prosjektet"]
    application_section_save(application_id=app.pk, section_key="om-prosjektet", data=post_data(section),
                             base_version=0, by_user=user)  # fmt: skip
    application_file_add(application_id=app.pk, question_key="prosjektbeskrivelse", by_user=user,
                         uploaded_file=SimpleUploadedFile("prosjektplan.pdf", pdf_bytes()))  # fmt: skip
    answers_before = Application.objects.get(pk=app.pk).answers
    _open(page, site_url, app, "application-attachments", "prosjektbeskrivelse")
    assert_accessible(page, context="attachments (nb)")
    fake = tmp_path / "ikke-en-pdf.pdf"
    fake.write_bytes(b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n")
    page.get_by_label("Velg fil").set_input_files(str(fake))
    page.get_by_role("button", name="Last opp").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Rett opp dette før du går videre:")).to_be_visible()
    expect(page.get_by_text("Filen ble ikke lagret. Søknaden er som før.")).to_be_visible()
    expect(page.get_by_role("link", name="prosjektplan.pdf")).to_be_visible()
    assert_accessible(page, context="attachments with a rejected file (nb)")
    assert Application.objects.get(pk=app.pk).answers == answers_before
    assert Application.objects.get(pk=app.pk).answers["tittel"] == section["tittel"]
