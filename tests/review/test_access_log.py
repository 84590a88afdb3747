"""A case's access log: every opening of the officer's case page and every staff download is
recorded, and the scheme's officers and administrators see the log (a page and a CSV); applicants,
reviewers and officers of other schemes do not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffRole
from applications.models import ApplicationEvent, EventKind
from review.access_log import PAGE_SIZE
from review.services import staff_read_record
from tests.factories import SchemeFactory, StaffRoleFactory, UserFactory
from tests.html import parse, visible_text
from tests.otp import force_login_verified
from tests.review.test_review_services import submitted

pytestmark = pytest.mark.django_db


def _url(application, name="staff-application-access"):
    return reverse(name, args=[application.pk])


def as_staff(client, user):
    client.logout()
    force_login_verified(client, user)
    return client


def test_only_the_schemes_officers_and_administrators_see_the_log(client, call_world):
    application = submitted(call_world)
    agency = call_world["call"].scheme.agencies.get()
    other_scheme = SchemeFactory(agencies=[agency])
    other_officer = StaffRoleFactory(agency=agency, schemes=[other_scheme]).user
    reviewer = call_world["reviewers"][0]
    administrator = StaffRoleFactory(agency=agency, role=StaffRole.Role.ADMINISTRATOR).user
    for name in ("staff-application-access", "staff-application-access-csv"):
        client.logout()
        client.force_login(application.ansvarlig)
        assert client.get(_url(application, name)).status_code == 403  # the applicant is not staff
        assert as_staff(client, reviewer).get(_url(application, name)).status_code == 404
        assert as_staff(client, other_officer).get(_url(application, name)).status_code == 404
        assert as_staff(client, call_world["officers"][0]).get(_url(application, name)).status_code == 200
        assert as_staff(client, administrator).get(_url(application, name)).status_code == 200
    # Refused requests record nothing; the log itself is not an access of the case.
    assert not application.events.filter(kind=EventKind.CASE_VIEWED).exists()


def test_opening_the_case_and_downloading_are_logged_and_shown(client, call_world):
    application = submitted(call_world)
    officer, second = call_world["officers"]
    officer.full_name, second.full_name = "Ola Saksbehandler", "Siri Saksbehandler"
    officer.save(), second.save()
    as_staff(client, officer).get(reverse("staff-application", args=[application.pk]))
    staff_read_record(second, application, what="Søknad 2026-X-00001 v1.pdf")
    page = as_staff(client, second).get(reverse("staff-application", args=[application.pk]))
    # The case page's history leaves the views out (they are in the log) and links to the log.
    history = visible_text(parse(page).get_element_by_id("historikk").getparent())
    assert "Saken åpnet" not in history
    assert "Tilgangslogg: hvem har åpnet saken og lastet ned filer" in visible_text(page)

    response = client.get(_url(application))
    text = visible_text(response)
    assert "3 tilganger" in text
    assert text.index("Siri Saksbehandler") < text.index("Ola Saksbehandler")  # newest first
    assert "Nedlasting: Søknad 2026-X-00001 v1.pdf" in text
    assert text.count("Saksside") == 2
    assert officer.email in text


def test_the_csv_has_every_row_and_inert_names(client, call_world):
    application = submitted(call_world)
    officer = call_world["officers"][0]
    staff_read_record(officer, application, what="=HYPERLINK(1).pdf")
    as_staff(client, officer).get(reverse("staff-application", args=[application.pk]))
    response = client.get(_url(application, "staff-application-access-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "tilgangslogg-" in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().removeprefix("\ufeff").splitlines()
    assert lines[0] == "Tidspunkt;Navn;E-post;Hva"
    assert len(lines) == 3
    assert lines[1].endswith(";Saksside")
    assert lines[2].endswith(";'=HYPERLINK(1).pdf")
    assert officer.email in lines[1]


def test_the_log_page_and_the_csv_take_a_fixed_number_of_queries(client, call_world, django_assert_num_queries):
    application = submitted(call_world)
    officer = call_world["officers"][0]
    as_staff(client, officer)
    url = _url(application)
    people = [UserFactory() for _ in range(12)]
    start = timezone.now() - timedelta(days=1)

    def add(count):
        ApplicationEvent.objects.bulk_create(
            ApplicationEvent(application=application, actor=people[i % len(people)], internal=True,
                             kind=EventKind.CASE_VIEWED if i % 2 else EventKind.FILE_DOWNLOADED,
                             data={} if i % 2 else {"file": f"vedlegg-{i}.pdf"}, at=start + timedelta(seconds=i))
            for i in range(count)
        )  # fmt: skip

    add(5)
    client.get(url)  # sessions and caches warm
    # 7: session, person, device, staff roles, application, count, page (a session written less
    # than a minute ago is not written again: portal/sessions.py)
    with django_assert_num_queries(7) as few:
        assert client.get(url).status_code == 200
    add(PAGE_SIZE * 2)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Side 1 av 3" in visible_text(response)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url + "?side=3")
    with django_assert_num_queries(len(few.captured_queries) - 1):  # no count for the CSV
        response = client.get(_url(application, "staff-application-access-csv"))
        assert len(b"".join(response.streaming_content).splitlines()) == PAGE_SIZE * 2 + 5 + 1
