"""The report pages in Chromium: the ansvarlig follows the link from «Vedtak og tilbud», a refused
file keeps the typed report, the report is delivered with a PDF; the officer's list of late
reports. Every page passes axe in bokmål, the applicant's page in nynorsk and English too."""

import pytest
from django.urls import reverse

from review.models import ProjectReport
from tests.accessibility import assert_accessible
from tests.browser import choose_language
from tests.review.test_pages_browser import expect_message, log_in_as, main_text
from tests.review.test_reports import PDF, funded
from tests.review.test_reports_pages import in_reporting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DELIVER_PROGRESS = "Lever rapporten Framdriftsrapport, frist 01.02.2031"  # the button and its section heading


def test_the_ansvarlig_delivers_a_report_and_the_officer_sees_the_late_ones(page, site_url, call_world):
    application = funded(call_world)
    progress = ProjectReport.objects.get(application=application, kind=ProjectReport.Kind.PROGRESS)
    log_in_as(page, site_url, application.ansvarlig, staff=False)
    page.goto(site_url + reverse("application-offer", args=[application.pk]))
    page.get_by_role("link", name="Prosjektrapporter").click()
    assert "Framdriftsrapport" in main_text(page) and "01.02.2031" in main_text(page)
    assert_accessible(page, context="reports page (nb)")

    text = page.locator(f"#rapport{progress.pk}_text")
    text.fill("Vi har rekruttert tre kommuner.")
    page.locator(f"#rapport{progress.pk}_file").set_input_files(
        files=[{"name": "rapport.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}]
    )
    page.get_by_role("button", name=DELIVER_PROGRESS).click()
    assert "Filtypen .exe kan ikke lastes opp her." in main_text(page)
    assert page.locator(f"#rapport{progress.pk}_text").input_value() == "Vi har rekruttert tre kommuner."
    assert_accessible(page, context="reports page, file refused (nb)")
    page.locator(f"#rapport{progress.pk}_file").set_input_files(
        files=[{"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name=DELIVER_PROGRESS).click()
    expect_message(page, "Framdriftsrapport er levert.")
    progress.refresh_from_db()
    assert progress.submitted_by == application.ansvarlig and progress.file.display_name == "rapport.pdf"

    late = in_reporting(call_world, days_late=(12, -10), reference="IP-2030-0042")
    log_in_as(page, site_url, call_world["officers"][0])
    page.goto(site_url + reverse("staff-reports-overdue"))
    assert "IP-2030-0042" in main_text(page) and late.organisation.name in main_text(page)
    assert_accessible(page, context="officers' reports (nb)")


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_applicant_s_reports_page_is_accessible_in_nynorsk_and_english(page, site_url, call_world, language):
    application = funded(call_world)
    log_in_as(page, site_url, application.ansvarlig, staff=False)
    choose_language(page, language)
    page.goto(site_url + reverse("application-reports", args=[application.pk]))
    assert_accessible(page, context=f"reports page ({language})")
