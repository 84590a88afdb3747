"""The report pages through the Django client: the applicant's reports (its own members only) with
a form per open report that keeps what was typed when refused, and the officers' list of late and
soon due reports in the schemes they handle."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationEvent, EventKind
from applications.services import application_partner_add
from applications.workflow import State
from organisations.models import Membership
from review.models import ProjectReport
from tests.factories import MembershipFactory, OrganisationFactory, SchemeFactory, StaffRoleFactory, make_application
from tests.review.test_pages_case import as_staff
from tests.review.test_reports import PDF, funded

pytestmark = pytest.mark.django_db
P, F, B = ProjectReport.Kind.PROGRESS, ProjectReport.Kind.FINAL, ProjectReport.Kind.BENEFITS


def reports_url(application):
    return reverse("application-reports", args=[application.pk])


def in_reporting(call_world, *, days_late=(3,), reference=None, organisation=None):
    """A project of a new organisation (or ``organisation``) in reporting, one open report per
    ``days_late`` (negative: due in that many days)."""
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG, organisation=organisation or OrganisationFactory())
    application = make_application(organisation=ansvarlig.organisation, call=call_world["call"], by_user=ansvarlig.user)
    Application.objects.filter(pk=application.pk).update(
        state=State.IN_REPORTING, reference=reference or f"IP-2030-{application.pk:05}"
    )
    today = timezone.localdate()
    kinds = [P, F, B]
    for n, late in enumerate(days_late):
        ProjectReport.objects.create(application=application, kind=kinds[n % 3], due_date=today - timedelta(days=late))
    application.refresh_from_db()
    application.ansvarlig = ansvarlig.user
    return application


def test_only_the_applicant_s_members_see_the_reports(client, call_world):
    application = funded(call_world)
    partner = OrganisationFactory(kind="forskning")
    Application.objects.filter(pk=application.pk).update(state=State.DRAFT)  # partners are added to drafts
    application_partner_add(application_id=application.pk, question_key="partnere", org_number=partner.org_number,
                            role="research-partner", by_user=application.ansvarlig)  # fmt: skip
    Application.objects.filter(pk=application.pk).update(state=State.IN_REPORTING)
    url = reports_url(application)
    assert client.get(url).status_code == 302  # to the login page
    refused = [MembershipFactory().user, MembershipFactory(organisation=partner).user]
    for user in refused:
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert as_staff(client, call_world["officers"][0]).get(url).status_code == 404  # the officer's page is the case
    client.logout()
    member = MembershipFactory(organisation=application.organisation).user
    for user in (application.ansvarlig, member):
        client.force_login(user)
        page = client.get(url).text
        assert "Framdriftsrapport" in page and "01.02.2031" in page and "Sluttrapport" in page
        assert page.count('name="report"') == 3  # a form per open report


def test_a_member_delivers_with_and_without_a_file(client, call_world):
    application = funded(call_world)
    member = MembershipFactory(organisation=application.organisation).user
    progress, final = (ProjectReport.objects.get(application=application, kind=k) for k in (P, F))
    client.force_login(member)
    response = client.post(reports_url(application), {"report": progress.pk, "text": "Alt etter planen."})
    assert response.status_code == 302
    upload = SimpleUploadedFile("slutt.pdf", PDF, content_type="application/pdf")
    response = client.post(reports_url(application), {"report": final.pk, "text": "Ferdig.", "file": upload})
    assert response.status_code == 302
    progress.refresh_from_db(), final.refresh_from_db()
    assert (progress.text, progress.file, progress.submitted_by) == ("Alt etter planen.", None, member)
    assert final.file.display_name == "slutt.pdf"
    page = client.get(reports_url(application)).text
    assert "Sluttrapport er levert." in page and page.count('name="report"') == 1  # only the benefits report left
    assert ApplicationEvent.objects.filter(application=application, kind=EventKind.REPORT_SUBMITTED).count() == 2


def test_a_rejected_file_or_a_missing_text_keeps_what_was_typed_and_writes_nothing(client, call_world):
    application = funded(call_world)
    report = ProjectReport.objects.get(application=application, kind=P)
    client.force_login(application.ansvarlig)
    text = "Vi har rekruttert <tre> kommuner."
    bad = SimpleUploadedFile("rapport.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(reports_url(application), {"report": report.pk, "text": text, "file": bad})
    assert response.status_code == 200
    assert "Filtypen .exe kan ikke lastes opp her." in response.text
    assert "Vi har rekruttert &lt;tre&gt; kommuner." in response.text
    response = client.post(reports_url(application), {"report": report.pk, "text": "   "})
    assert response.status_code == 200 and "Skriv rapporten." in response.text
    report.refresh_from_db()
    assert report.submitted_at is None and report.file is None
    assert not ApplicationEvent.objects.filter(application=application, kind=EventKind.REPORT_SUBMITTED).exists()
    other = funded(call_world)  # a report of another application, posted here
    foreign = ProjectReport.objects.get(application=other, kind=P)
    assert client.post(reports_url(application), {"report": foreign.pk, "text": "x"}).status_code == 404
    assert not ProjectReport.objects.filter(pk=foreign.pk, submitted_at__isnull=False).exists()


def test_the_result_page_links_to_the_reports_once_the_offer_is_accepted(client, call_world):
    application = funded(call_world)
    client.force_login(application.ansvarlig)
    assert reports_url(application) in client.get(reverse("application-offer", args=[application.pk])).text


def test_the_officers_see_late_and_soon_due_reports_of_their_schemes(client, call_world):
    late = in_reporting(call_world, days_late=(10, -20, -90), reference="IP-2030-0007")
    in_reporting(call_world, days_late=(5,)).reports.update(submitted_at=timezone.now())  # delivered: not listed
    elsewhere = in_reporting(call_world, days_late=(4,))
    Application.objects.filter(pk=elsewhere.pk).update(state=State.COMPLETED)  # completed: not listed
    as_staff(client, call_world["officers"][0])
    page = client.get(reverse("staff-reports-overdue")).text
    assert "IP-2030-0007" in page and late.organisation.name in page
    assert "Forsinket (1)" in page and "Kommende (1)" in page  # the one in 90 days is not soon
    assert "<td>10</td>" in page
    other_scheme = StaffRoleFactory(schemes=[SchemeFactory()]).user
    page = as_staff(client, other_scheme).get(reverse("staff-reports-overdue")).text
    assert "IP-2030-0007" not in page and "Forsinket (0)" in page and "Kommende (0)" in page


def test_the_officers_list_has_a_fixed_number_of_queries(client, call_world, django_assert_max_num_queries):
    for _ in range(10):
        in_reporting(call_world, days_late=(30, 7, -5, -40))
    as_staff(client, call_world["officers"][0])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("staff-reports-overdue"))
    assert response.text.count("<tr>") == 40 + 2  # 40 rows, two header rows


def test_the_notices_on_my_page_link_to_the_reports(client, call_world):
    from scheduling.models import Notice

    application = in_reporting(call_world, reference="IP-2030-0099")
    report = application.reports.get()
    officer = call_world["officers"][0]
    data = {"due": report.due_date.isoformat(), "report": report.pk, "kind": report.kind}
    for user, kind in ((application.ansvarlig, Notice.Kind.REPORT_REMINDER), (officer, Notice.Kind.REPORT_OVERDUE)):
        Notice.objects.create(user=user, kind=kind, key=f"{kind}:{report.pk}:{user.pk}", call=application.call,
                              application=application, data=data, created_at=timezone.now())  # fmt: skip
    client.force_login(application.ansvarlig)
    page = client.get(reverse("my-page")).text
    assert "Prosjektrapporten i sak IP-2030-0099 er ikke levert." in page and reports_url(application) in page
    page = as_staff(client, officer).get(reverse("my-page")).text
    assert "Prosjektrapporten i sak IP-2030-0099 er ikke levert (frist" in page
    assert reverse("staff-reports-overdue") in page
