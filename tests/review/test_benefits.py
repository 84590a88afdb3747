"""Expected and realised benefits (gevinster): rows in the draft (a plain formset, «add another» as
a POST), the realised value of each in the benefits report, expected against realised on the
project page, and the officers' list of overdue benefits reports and benefits never reported."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ExpectedBenefit
from applications.services.benefits import BenefitRow, application_benefits_save
from applications.workflow import State
from organisations.models import Membership
from projects.models import Project
from review.models import ProjectReport, RealisedBenefit
from review.reports import report_submit
from tests.factories import MembershipFactory, OrganisationFactory, make_application
from tests.html import table_rows, visible_text
from tests.review.test_pages_case import as_staff
from tests.review.test_reports_pages import in_reporting

pytestmark = pytest.mark.django_db
ROW = {"kind": "tid", "indicator": "Timer på reiser per måned", "baseline": "420", "target": "300",
       "due_on": "31.12.2028"}  # fmt: skip


def post_rows(rows, *, extra=None, initial=0):
    data = {"gevinst-TOTAL_FORMS": str(len(rows)), "gevinst-INITIAL_FORMS": str(initial)}
    for n, row in enumerate(rows):
        data.update({f"gevinst-{n}-{key}": value for key, value in row.items()})
    return {**data, **(extra or {})}


@pytest.fixture
def draft():
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    return application, ansvarlig.user


def test_the_applicant_adds_benefits_without_javascript(client, draft):
    application, user = draft
    url = reverse("application-benefits", args=[application.pk])
    client.force_login(user)
    page = client.get(url).text
    assert page.count('name="gevinst-0-indicator"') == 1 and 'name="gevinst-1-indicator"' not in page
    # «Legg til en gevinst»: what was typed comes back, with an empty row after it; nothing is saved.
    page = client.post(url, post_rows([ROW], extra={"add": "1"})).text
    assert 'value="Timer på reiser per måned"' in page and 'name="gevinst-1-indicator"' in page
    assert not ExpectedBenefit.objects.exists()
    second = {**ROW, "kind": "miljo", "indicator": "Kjørte kilometer", "baseline": "180 000", "target": "140 000"}
    response = client.post(url, post_rows([ROW, second, dict.fromkeys(ROW, "")]), follow=True)
    assert "Gevinstene er lagret." in response.text
    saved = list(application.benefits.values_list("position", "kind", "indicator", "target", "due_on"))
    assert saved == [(0, "tid", "Timer på reiser per måned", "300", date(2028, 12, 31)),
                     (1, "miljo", "Kjørte kilometer", "140 000", date(2028, 12, 31))]  # fmt: skip
    # Removing one keeps the other.
    rows = post_rows([ROW, {**second, "DELETE": "on"}], initial=2)
    client.post(url, rows)
    assert list(application.benefits.values_list("indicator", flat=True)) == ["Timer på reiser per måned"]


def test_a_bad_row_is_explained_in_norwegian_and_nothing_is_lost_or_written(client, draft):
    application, user = draft
    client.force_login(user)
    response = client.post(reverse("application-benefits", args=[application.pk]),
                           post_rows([{**ROW, "target": "", "due_on": "snart"}]))  # fmt: skip
    assert response.status_code == 200
    assert "Gevinst 1, Mål: Må fylles ut." in response.text
    assert "Skriv en dato som 31.12.2028." in response.text
    assert 'value="Timer på reiser per måned"' in response.text and 'value="snart"' in response.text
    assert not ExpectedBenefit.objects.exists()


def test_only_the_applicant_changes_the_benefits(client, draft):
    application, user = draft
    url = reverse("application-benefits", args=[application.pk])
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    assert client.post(url, post_rows([ROW])).status_code == 404
    Application.objects.filter(pk=application.pk).update(state=State.SUBMITTED)
    client.force_login(user)
    assert client.post(url, post_rows([ROW])).status_code == 403  # submitted: read only
    assert not ExpectedBenefit.objects.exists()
    Application.objects.filter(pk=application.pk).update(state=State.DRAFT)
    assert client.post(url, post_rows([ROW])).status_code == 302
    assert ExpectedBenefit.objects.count() == 1


def benefits_of(application, user, n=2):
    Application.objects.filter(pk=application.pk).update(state=State.DRAFT)
    rows = [BenefitRow(kind="kvalitet", indicator=f"Indikator {i}", baseline="10", target="20",
                       due_on=timezone.localdate() - timedelta(days=10 + i)) for i in range(n)]  # fmt: skip
    application_benefits_save(application_id=application.pk, by_user=user, rows=rows)
    Application.objects.filter(pk=application.pk).update(state=State.IN_REPORTING)
    return list(application.benefits.order_by("position"))


def test_the_benefits_report_records_the_realised_value_of_each(client, call_world):
    application = in_reporting(call_world, days_late=(-5, -5, 3))  # the third is the benefits report
    first, second = benefits_of(application, application.ansvarlig)
    report = application.reports.get(kind=ProjectReport.Kind.BENEFITS)
    client.force_login(application.ansvarlig)
    url = reverse("application-reports", args=[application.pk])
    assert "Realisert: Indikator 0 (mål 20)" in client.get(url).text
    data = {"report": report.pk, "text": "Gevinstene er målt.", f"gevinst_{first.pk}": "18",
            f"gevinst_{first.pk}_kommentar": "Nesten nådd."}  # fmt: skip
    response = client.post(url, data)
    assert "Skriv hva som er oppnådd." in response.text and 'value="18"' in response.text
    assert not RealisedBenefit.objects.exists() and not ProjectReport.objects.get(pk=report.pk).submitted_at
    client.post(url, {**data, f"gevinst_{second.pk}": "25"})
    rows = sorted(RealisedBenefit.objects.values_list("benefit_id", "value", "comment"))
    assert rows == [(first.pk, "18", "Nesten nådd."), (second.pk, "25", "")]


def test_the_service_refuses_a_benefits_report_without_every_value(call_world):
    application = in_reporting(call_world, days_late=(-5, -5, 3))
    first, _second = benefits_of(application, application.ansvarlig)
    report = application.reports.get(kind=ProjectReport.Kind.BENEFITS)
    with pytest.raises(Exception, match="hver gevinst"):
        report_submit(report_id=report.pk, by_user=application.ansvarlig, text="x", realised={first.pk: ("1", "")})
    assert not RealisedBenefit.objects.exists() and not ProjectReport.objects.get(pk=report.pk).submitted_at


def test_the_project_page_shows_expected_against_realised(client, call_world):
    application = in_reporting(call_world, days_late=(-5, -5, 3))
    first, second = benefits_of(application, application.ansvarlig)
    report = application.reports.get(kind=ProjectReport.Kind.BENEFITS)
    report_submit(report_id=report.pk, by_user=application.ansvarlig, text="Målt.",
                  realised={first.pk: ("18", "Nesten nådd."), second.pk: ("25", "")})  # fmt: skip
    project = Project.objects.create(application=application, title="Trygg heime", year=2030, amount_granted=100,
                                     organisation=application.organisation, scheme=application.call.scheme)  # fmt: skip
    page = client.get(reverse("project-detail", args=[project.pk])).text
    assert "Forventede og realiserte gevinster" in page
    assert "18 – Nesten nådd." in page and "25" in page
    Project.objects.filter(pk=project.pk).update(public_results=False)
    assert "Nesten nådd." not in client.get(reverse("project-detail", args=[project.pk])).text


def test_officers_see_overdue_benefits_reports_and_unreported_benefits_of_their_schemes(client, call_world):
    late = in_reporting(call_world, days_late=(-5, -5, 12), reference="IP-2030-0042")
    benefits_of(late, late.ansvarlig, n=1)
    on_time = in_reporting(call_world, days_late=(-5, -5, -30))
    benefits_of(on_time, on_time.ansvarlig, n=1)
    as_staff(client, call_world["officers"][0])
    page = client.get(reverse("staff-benefits")).text
    assert "Forsinkede gevinstrapporter (1)" in page and "IP-2030-0042" in page and "<td>12</td>" in page
    assert "Gevinster uten rapportert resultat (2)" in page and "Indikator 0" in page


def test_the_officers_benefits_list_has_a_fixed_number_of_queries(client, call_world, django_assert_max_num_queries):
    for _ in range(8):
        application = in_reporting(call_world, days_late=(-5, -5, 20))
        benefits_of(application, application.ansvarlig, n=3)
    as_staff(client, call_world["officers"][0])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("staff-benefits"))
    assert "Forsinkede gevinstrapporter (8)" in response.text
    assert "Gevinster uten rapportert resultat (24)" in response.text


def test_the_statistics_set_expected_against_realised_benefits(client, call_world, django_assert_max_num_queries):
    """/statistikk/ counts the expected benefits of projects with public results by kind: how many
    were reported realised and how many are past their date with nothing reported (table and CSV)."""
    projects = []
    for n, realise in enumerate((True, False, True)):
        application = in_reporting(call_world, days_late=(-5, -5, 3))
        benefits = benefits_of(application, application.ansvarlig, n=2 - n % 2)
        if realise:
            report = application.reports.get(kind=ProjectReport.Kind.BENEFITS)
            report_submit(report_id=report.pk, by_user=application.ansvarlig, text="Målt.",
                          realised={b.pk: ("18", "") for b in benefits})  # fmt: skip
        projects.append(Project.objects.create(
            application=application, title=f"Prosjekt {n}", year=2030, amount_granted=100,
            organisation=application.organisation, scheme=application.call.scheme,
        ))  # fmt: skip
    # The third project's results are not public: its benefits are not counted.
    Project.objects.filter(pk=projects[2].pk).update(public_results=False)

    with django_assert_max_num_queries(9):
        page = client.get(reverse("statistics")).text
    caption = "Forventede og realiserte gevinster per type (tabell)"
    assert table_rows(page, caption) == [["Type gevinst", "Forventet", "Realisert", "Forfalt uten rapport"],
                                         ["Kvalitet", "3", "2", "1"]]  # fmt: skip
    assert "3 forventede gevinster i 1 typer, 2 rapportert realisert, 1 forfalt uten rapport" in visible_text(page)
    csv_text = client.get(reverse("statistics-csv", args=["gevinster"])).content.decode()
    assert csv_text.splitlines() == ["type,forventet,realisert,forfalt_uten_rapport", "kvalitet,3,2,1"]
