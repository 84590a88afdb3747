"""Submitting and following an application in Chromium: submit → reference → version page →
receipt PDF; a late submit; axe on every page of views/submission.py (nb, and nn/en for the list
and the submit page); the list's filters without JavaScript."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application, ApplicationVersion
from applications.services import application_submit
from applications.workflow import State
from organisations.models import Membership
from tests.accessibility import assert_accessible
from tests.applications.helpers import complete_application
from tests.applications.test_submission_receipts import pdf_text
from tests.browser import log_in, log_out
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ready(private_storage):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG, user__full_name="Ansvarlig Anne")
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    complete_application(application, ansvarlig.user)
    return Application.objects.get(pk=application.pk), ansvarlig.user


def test_the_ansvarlig_submits_and_downloads_the_receipt(page, site_url, ready):
    application, ansvarlig = ready
    log_in(page, site_url, ansvarlig.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("application-submit", args=[application.pk]))
    expect(page.get_by_text("Søknaden er fullstendig og kan sendes inn.")).to_be_visible()
    assert_accessible(page, context="submit page, ready")
    page.get_by_role("button", name="Send inn").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    expect(page.get_by_text(f"Saksnummeret er {application.reference}")).to_be_visible()

    page.goto(site_url + reverse("application-version", args=[application.pk, 1]))
    assert page.get_by_role("heading", level=1).inner_text().startswith(application.reference)
    assert_accessible(page, context="version page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned kvitteringen (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"{application.reference}-v1.pdf")
    with open(download.path(), "rb") as file:
        pdf = file.read()
    assert pdf.startswith(b"%PDF")
    assert application.reference.encode() in pdf_text(pdf)

    page.goto(site_url + reverse("application-timeline", args=[application.pk]))
    submitted_cell = re.compile(rf"^Søknaden er sendt inn\. Saksnummer {application.reference}, versjon 1$")
    assert page.get_by_role("cell", name=submitted_cell).count() == 1
    assert_accessible(page, context="timeline")
    page.goto(site_url + reverse("application-withdraw", args=[application.pk]))
    assert_accessible(page, context="withdraw page")
    page.get_by_role("button", name="Trekk søknaden").click()  # no reason: told why, nothing written
    page.wait_for_load_state()
    expect(page.get_by_role("alert").get_by_text("Skriv hvorfor søknaden trekkes.")).to_be_visible()
    assert_accessible(page, context="withdraw page with an error")
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED

    page.goto(site_url + reverse("application-list"))
    expect(page.get_by_role("link", name="Digital tilsynsassistent")).to_be_visible()
    assert_accessible(page, context="list")


def test_a_late_submit_names_the_deadline_and_keeps_the_application(page, site_url, ready):
    application, ansvarlig = ready
    log_in(page, site_url, ansvarlig.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("application-submit", args=[application.pk]))
    # The deadline passes while the page is open.
    call = application.call
    call.closes_at = (timezone.now() - timedelta(seconds=3)).replace(microsecond=0)
    call.save(update_fields=["closes_at"])
    page.get_by_role("button", name="Send inn").click()
    page.wait_for_load_state()
    deadline = timezone.localtime(call.closes_at)
    alert = page.get_by_role("alert")
    assert f"Fristen var {deadline:%d.%m.%Y} kl. {deadline:%H:%M:%S}." in alert.inner_text()
    assert "Ingenting av det dere har skrevet er slettet." in alert.inner_text()
    after = Application.objects.get(pk=application.pk)
    assert after.state == State.DRAFT and after.answers == application.answers
    assert not ApplicationVersion.objects.exists()
    assert_accessible(page, context="submit page, refused as late")


def test_the_submit_page_with_problems_and_for_a_member(page, site_url, private_storage):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    member = MembershipFactory(organisation=ansvarlig.organisation)
    application = make_application(organisation=ansvarlig.organisation, by_user=member.user)
    log_in(page, site_url, ansvarlig.user.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("application-submit", args=[application.pk]))
    expect(page.get_by_text("ting må rettes før søknaden kan sendes inn")).to_be_visible()
    assert page.get_by_role("button", name="Send inn").count() == 0
    assert_accessible(page, context="submit page with problems")
    log_out(page)
    log_in(page, site_url, member.user.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("application-submit", args=[application.pk]))
    page.get_by_role("button", name="Send til ansvarlig for godkjenning").click()
    page.wait_for_load_state()
    expect(page.get_by_text("for godkjenning og innsending")).to_be_visible()


@pytest.mark.parametrize("language", ["nn", "en"])
def test_list_and_submit_pages_in_nynorsk_and_english(page, site_url, ready, language):
    application, ansvarlig = ready
    ansvarlig.language = language
    ansvarlig.save(update_fields=["language"])
    log_in(page, site_url, ansvarlig.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("application-list"))
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page, context=f"list ({language})")
    page.goto(site_url + reverse("application-submit", args=[application.pk]))
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page, context=f"submit page ({language})")


def test_the_list_filters_without_javascript(page_nojs, site_url, ready):
    application, ansvarlig = ready
    other = make_application(organisation=application.organisation, by_user=ansvarlig)
    Application.objects.filter(pk=other.pk).update(title="Sensorer i skolen")
    application_submit(application_id=application.pk, by_user=ansvarlig, now=timezone.now())
    page = page_nojs
    log_in(page, site_url, ansvarlig.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("application-list"))
    expect(page.get_by_text("2 søknader")).to_be_visible()
    page.get_by_label("Søk i tittel og saksnummer").fill("sensor")
    page.get_by_role("button", name="Vis søknader").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Sensorer i skolen")).to_be_visible()
    assert page.get_by_role("link", name="Digital tilsynsassistent").count() == 0
    page.get_by_label("Søk i tittel og saksnummer").fill("")
    page.get_by_label("Status").select_option(label="Sendt inn")
    page.get_by_role("button", name="Vis søknader").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Digital tilsynsassistent")).to_be_visible()
    assert page.get_by_role("link", name="Sensorer i skolen").count() == 0


def test_the_list_filters_with_htmx(page, site_url, ready):
    application, ansvarlig = ready
    other = make_application(organisation=application.organisation, by_user=ansvarlig)
    Application.objects.filter(pk=other.pk).update(title="Sensorer i skolen")
    log_in(page, site_url, ansvarlig.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("application-list"))
    page.evaluate("() => { window.stillThisPage = true; }")  # gone if the browser loaded a new page
    page.get_by_label("Status").select_option(label="Utkast")  # a change sends the form
    page.get_by_label("Søk i tittel og saksnummer").fill("sensor")
    page.get_by_role("button", name="Vis søknader").click()
    page.get_by_role("heading", name="1 søknad", exact=True).wait_for()
    assert page.get_by_role("link", name="Digital tilsynsassistent").count() == 0
    assert page.evaluate("() => window.stillThisPage === true")  # swapped in by htmx
    assert "q=sensor" in page.url  # pushed, so the filtered list can be linked and reloaded
    assert_accessible(page, context="list filtered with htmx")
