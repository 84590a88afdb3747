"""Reports are named plainly wherever they are listed: the applicant's «Lever rapporten» buttons are
announced with the report they deliver («Lever rapporten Framdriftsrapport, frist 01.02.2031»), and
no name or line begins with a stray «: » (a hidden «: Framdriftsrapport …» did)."""

import pytest
from django.urls import reverse

from tests.html import accessible_name, parse, select, texts, visible_text
from tests.review.test_pages_case import as_staff
from tests.review.test_reports_pages import in_reporting, reports_url

pytestmark = pytest.mark.django_db

DELIVER = {"nb": ("Lever rapporten", "Framdriftsrapport", "Sluttrapport", "frist"),
           "nn": ("Lever rapporten", "Framdriftsrapport", "Sluttrapport", "frist"),
           "en": ("Deliver the report", "Progress report", "Final report", "due")}  # fmt: skip


def no_stray_colon(response) -> None:
    page = parse(response)
    seen = [visible_text(page), *texts(page, "td"), *texts(page, "th"), *texts(page, "button")]
    assert not [text for text in seen if text.startswith(":") or " : " in text]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_applicant_s_buttons_name_the_report_they_deliver(client, call_world, language):
    application = in_reporting(call_world, days_late=(3, -5))
    progress, final = application.reports.order_by("due_date")
    client.force_login(application.ansvarlig)
    client.cookies["django_language"] = language
    response = client.get(reports_url(application))
    assert response.status_code == 200
    deliver, progress_name, final_name, due = DELIVER[language]
    assert [name for b in select(response, "button") if (name := accessible_name(b)).startswith(deliver)] == [
        f"{deliver} {progress_name}, {due} {progress.due_date:%d.%m.%Y}",
        f"{deliver} {final_name}, {due} {final.due_date:%d.%m.%Y}",
    ]
    assert [t for t in texts(response, "th") if t in (progress_name, final_name)] == [progress_name, final_name]
    no_stray_colon(response)


def test_the_officers_list_names_each_report_by_its_kind(client, call_world):
    application = in_reporting(call_world, days_late=(3, -5))
    response = as_staff(client, call_world["officers"][0]).get(reverse("staff-reports-overdue"))
    assert response.status_code == 200
    assert [t for t in texts(response, "td") if t.endswith("rapport")] == ["Framdriftsrapport", "Sluttrapport"]
    assert application.reference in texts(response, "th")
    no_stray_colon(response)
