"""The whole applicant journey in one Chromium session, as a person does it: start an application
from the call, fill every section, add a partner, fill the budget, attach the project description,
check the whole application, submit, and download the receipt PDF. JavaScript on (autosave runs
underneath; every step also has its button)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application, ApplicationVersion
from applications.workflow import State
from organisations.models import Membership, OrganisationKind
from tests.accessibility import assert_accessible
from tests.applications.test_submission_receipts import pdf_text
from tests.attachments.files import pdf_bytes
from tests.browser import log_in
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory, call_with_form, planned_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save_section(page):
    """The Lagre button (autosave may already have saved: either way the page says so), then wait
    until nothing is in flight, so the next navigation does not cut a background save short."""
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text(re.compile(r"[Ll]agret kl\. \d\d:\d\d")).first).to_be_visible()


def test_start_fill_partner_budget_attach_submit_and_receipt(page, site_url, private_storage, tmp_path):
    call = call_with_form(title="Innovasjon i omsorg 2027", own_funding_min_percent=50)
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG, user__full_name="Ansvarlig Anne")
    partner = OrganisationFactory(name="Senter for velferdsforskning", kind=OrganisationKind.RESEARCH)
    log_in(page, site_url, ansvarlig.user.email, DEFAULT_PASSWORD)

    # Start from the call.
    page.goto(site_url + reverse("application-start", args=[call.slug]))
    page.get_by_role("button", name="Start søknad").click()
    page.wait_for_load_state()
    application = Application.objects.get(call=call)
    assert page.url.endswith(reverse("application-detail", args=[application.pk]))

    # Every section of the form.
    section = lambda key: site_url + reverse("application-section", args=[application.pk, key])  # noqa: E731
    page.goto(section("om-prosjektet"))
    page.get_by_label("Prosjekttittel").fill("Trygg hjemme med digitalt tilsyn")
    page.get_by_label("Sammendrag").fill("Vi prøver ut digitalt tilsyn i hjemmetjenesten.")
    start = planned_start()  # half a year after today, so it never slides into the past
    page.get_by_label("Planlagt oppstart").fill(f"{start:%d.%m.%Y}")
    page.get_by_label("Varighet (måneder)").fill("24")
    save_section(page)
    page.goto(section("problemstilling-og-behov"))
    page.get_by_label("Hvilket behov skal prosjektet løse?").fill("Færre unødvendige besøk om natten.")
    page.get_by_role("group", name="Deler flere offentlige virksomheter behovet?").get_by_label("Ja").check()
    page.get_by_label("3 God helse og livskvalitet").check()
    save_section(page)
    page.goto(section("gjennomforing"))
    page.get_by_label("Plan og milepæler").fill("Kartlegging, utprøving, evaluering.")
    page.get_by_label("Ja, vedtatt").check()
    save_section(page)

    # A partner by organisation number.
    page.goto(site_url + reverse("application-partners", args=[application.pk, "partnere"]))
    page.get_by_label("Organisasjonsnummer").fill(partner.org_number)
    page.locator("#oppslag").get_by_text("Registrert: Senter for velferdsforskning").wait_for()
    page.get_by_label("Rolle i prosjektet").select_option("research-partner")
    page.get_by_role("button", name="Legg til partner").click()
    page.wait_for_load_state()
    expect(page.get_by_role("cell", name="Senter for velferdsforskning", exact=True)).to_be_visible()

    # The budget, with the live check following the typing.
    page.goto(site_url + reverse("application-budget", args=[application.pk, "budsjett"]))
    page.get_by_label("Første år").fill(str(start.year))
    page.get_by_label("Antall år").select_option("2")
    page.get_by_role("button", name="Oppdater år").click()
    page.wait_for_load_state()
    page.get_by_label(f"Personal og indirekte kostnader {start.year}").fill("700 000")
    page.get_by_label(f"Innkjøp av FoU-tjenester og andre tjenester {start.year + 1}").fill("500 000")
    page.get_by_label("Egenfinansiering").fill("600 000")
    page.locator("#sum-kostnader").get_by_text("1 200 000 kr").wait_for()
    page.locator("#omsokt").get_by_text("600 000 kr").wait_for()  # derived while typing, not asked
    page.locator("#budsjett-kontroll").get_by_text("Budsjettet oppfyller utlysningens krav").wait_for()
    page.get_by_role("button", name="Lagre budsjettet").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Budsjettet er lagret kl.")).to_be_visible()

    # The project description, a real PDF.
    description = tmp_path / "prosjektbeskrivelse.pdf"
    description.write_bytes(pdf_bytes())
    page.goto(site_url + reverse("application-attachments", args=[application.pk, "prosjektbeskrivelse"]))
    page.get_by_label("Velg fil").set_input_files(str(description))
    page.get_by_role("button", name="Last opp").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="prosjektbeskrivelse.pdf").first).to_be_visible()

    # Sjekk hele søknaden: nothing left.
    page.goto(site_url + reverse("application-check", args=[application.pk]))
    expect(page.get_by_text("Alt er klart.")).to_be_visible()
    assert_accessible(page, context="check, all clear")

    # Submit, then the receipt.
    page.goto(site_url + reverse("application-detail", args=[application.pk]))
    page.get_by_role("link", name="Send inn søknaden").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Send inn").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.reference
    expect(page.get_by_text(f"Saksnummeret er {application.reference}")).to_be_visible()
    version = ApplicationVersion.objects.get(application=application)
    assert version.content["partners"][0]["name"] == "Senter for velferdsforskning"
    assert version.content["attachments"][0]["name"] == "prosjektbeskrivelse.pdf"
    assert version.content["answers"]["budsjett"]["requested"] == "600000"
    page.goto(site_url + reverse("application-version", args=[application.pk, 1]))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned kvitteringen (PDF)").click()
    with open(download_info.value.path(), "rb") as file:
        pdf = file.read()
    assert pdf.startswith(b"%PDF") and application.reference.encode() in pdf_text(pdf)
