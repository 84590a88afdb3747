"""The officer's work queue on /saksbehandling/: who sees which applications, the filters, keyset
paging, the CSV export and pinned query counts (Django test client: no JavaScript)."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffRole
from applications.models import Application
from applications.workflow import State
from review.models import AssignmentState, ReviewAssignment, ReviewSettings
from review.selectors import panel_ranking
from tests.casework.queue_world import build_world, clone, consensus, reviewed
from tests.factories import CallFactory, StaffRoleFactory
from tests.html import parse
from tests.otp import force_login_verified
from tests.review.test_review_services import submitted

pytestmark = pytest.mark.django_db
HOME = reverse("staff-home")


@pytest.fixture
def world(private_storage):
    return build_world(submit_template=lambda call: submitted({"call": call}))


def references(response) -> list[str]:
    return re.findall(r'<label class="ds-sr-only" for="velg-\d+">Velg ([^<]+)</label>', response.text)


def next_link(response, rel):
    found = re.search(rf'rel="{rel}" href="([^"]+)"', response.text)
    return found.group(1).replace("&amp;", "&") if found else None


def test_an_officer_sees_the_applications_of_the_schemes_they_handle_and_no_other(client, world):
    mine = clone(world, 3)
    theirs = clone(world, 2, call=world["call_y"])
    drafts = clone(world, 2, state=State.DRAFT)
    force_login_verified(client, world["officer_x"])
    shown = set(references(client.get(HOME)))
    assert {a.reference for a in mine} <= shown
    assert not shown & {a.reference for a in theirs + drafts}

    force_login_verified(client, world["officer_y"])
    shown = set(references(client.get(HOME)))
    assert shown == {a.reference for a in theirs}

    force_login_verified(client, world["admin"])
    shown = set(references(client.get(HOME)))
    assert {a.reference for a in mine + theirs} <= shown and not shown & {a.reference for a in drafts}


def test_applicants_are_refused_and_a_reviewer_gets_no_queue(client, world):
    application = clone(world, 1)[0]
    reviewed(world, application, world["reviewers"][0], [5, 5], submitted=False)
    client.force_login(world["applicant"])
    assert client.get(HOME).status_code == 403
    assert client.get(reverse("staff-queue-csv")).status_code == 403
    reviewer = world["reviewers"][0]
    force_login_verified(client, reviewer)
    response = client.get(HOME)
    assert response.status_code == 200
    assert application.reference not in response.text and 'name="soknad"' not in response.text
    assert "Som fagekspert ser du bare søknadene du blir tildelt" in response.text
    csv_text = b"".join(client.get(reverse("staff-queue-csv")).streaming_content).decode()
    assert application.reference not in csv_text and csv_text.count("\r\n") == 1  # the header only


def test_the_filters_narrow_the_queue(client, world):
    reviewer_a, reviewer_b, _ = world["reviewers"]
    high, low, unscored, overdue = clone(world, 4, state=State.IN_REVIEW)
    formal = clone(world, 1, state=State.FORMAL_CHECK)[0]
    other_call = clone(world, 1, call=world["call_y"])[0]
    reviewed(world, high, reviewer_a, [6, 6])
    reviewed(world, high, reviewer_b, [7, 5])
    reviewed(world, low, reviewer_a, [2, 3])
    reviewed(world, unscored, reviewer_b, [5, 5], submitted=False)
    reviewed(world, overdue, reviewer_b, [4, 4], submitted=False, due_days=-1)
    force_login_verified(client, world["admin"])

    def shown(**query):
        response = client.get(HOME, query)
        assert response.status_code == 200
        return set(references(response))

    assert shown(utlysning=world["call_y"].slug) == {other_call.reference}
    assert shown(status=State.FORMAL_CHECK.value) == {formal.reference, world["template"].reference}
    assert shown(fagekspert=reviewer_a.pk) == {high.reference, low.reference}
    assert shown(karakter_fra="5,5") == {high.reference}  # (6,5·60 + 5,5·40)/100 = 6,1
    assert shown(karakter_fra="2", karakter_til="3") == {low.reference}  # 2,4
    # Missing reviews: past the formal check with fewer than the call's 2 submitted.
    assert shown(utlysning=world["call_x"].slug, mangler_vurdering="true") == {
        low.reference,
        unscored.reference,
        overdue.reference,
    }
    ReviewSettings.objects.create(call=world["call_x"], reviewers_per_application=1)
    assert shown(utlysning=world["call_x"].slug, mangler_vurdering="true") == {unscored.reference, overdue.reference}
    assert shown(forsinket="true") == {overdue.reference}
    # A refused value says why and filters nothing.
    response = client.get(HOME, {"karakter_fra": "mye", "karakter_til": "3"})
    assert "Skriv karakteren som et tall" in response.text
    assert high.reference not in set(references(response))


def test_the_score_is_the_panel_s_weighted_score_with_consensus_first(client, world):
    a, b = clone(world, 2, state=State.IN_REVIEW)
    reviewed(world, a, world["reviewers"][0], [6, 6])
    reviewed(world, a, world["reviewers"][1], [4, 2])
    reviewed(world, b, world["reviewers"][0], [3, 3])
    consensus(world, b, world["criteria"][0], 7)
    rows, _summary = panel_ranking(call=world["call_x"])
    expected = {r.application.pk: r.weighted for r in rows}
    assert expected[a.pk] == Decimal("4.6") and expected[b.pk] == Decimal("5.4")  # 7·0,6 + 3·0,4
    force_login_verified(client, world["officer_x"])
    text = client.get(HOME).text
    for application, shown in ((a, "4,6"), (b, "5,4")):
        row = text[text.index(f"Velg {application.reference}") :].split("</tr>")[0]
        assert f"<td>{shown}</td>" in row
        assert "<td>1 / 1</td>" in row or "<td>2 / 2</td>" in row
    # Each row links to the officer's case page, and the call to its panel.
    assert f'href="{reverse("staff-application", args=[a.pk])}"' in text
    assert f'href="{reverse("staff-call-panel", args=[world["call_x"].slug])}"' in text


def test_keyset_pages_neither_repeat_nor_skip_rows_that_share_a_moment(client, world):
    moment = timezone.now() - timedelta(hours=1)
    clone(world, 70, submitted_at=moment)  # the same submitted_at: only the pk orders them
    clone(world, 40)
    ordered = Application.objects.filter(call=world["call_x"]).order_by("-submitted_at", "-pk")
    expected = list(ordered.values_list("reference", flat=True))
    assert len(expected) == 111
    force_login_verified(client, world["officer_x"])
    seen, pages, url = [], [], HOME
    while url:
        response = client.get(url)
        pages.append(references(response))
        seen += pages[-1]
        url = next_link(response, "next")
    assert [len(p) for p in pages] == [50, 50, 11]
    assert seen == expected
    assert next_link(client.get(HOME), "prev") is None
    # And back again from the last page.
    back, url = [], next_link(response, "prev")
    while url:
        response = client.get(url)
        back.insert(0, references(response))
        url = next_link(response, "prev")
    assert back == pages[:2]


def test_paging_keeps_the_filters(client, world):
    clone(world, 55, state=State.IN_REVIEW)
    clone(world, 10, state=State.SUBMITTED)
    force_login_verified(client, world["officer_x"])
    first = client.get(HOME, {"status": State.IN_REVIEW.value})
    url = next_link(first, "next")
    assert "status=fagvurdering" in url and "etter=" in url
    assert len(references(client.get(url))) == 5
    assert "status=fagvurdering" in next_link(client.get(url), "prev")


def test_a_broken_cursor_shows_the_first_page(client, world):
    clone(world, 3)
    force_login_verified(client, world["officer_x"])
    for cursor in ("x", "1-2-3", "99999999999999999999-1", ""):
        response = client.get(HOME, {"etter": cursor})
        assert response.status_code == 200 and len(references(response)) == 4


def test_the_queue_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    applications = clone(world, 65, state=State.IN_REVIEW)
    for application in applications[:30]:
        reviewed(world, application, world["reviewers"][0], [5, 4])
        reviewed(world, application, world["reviewers"][1], [3, 4], submitted=False, due_days=-2)
    force_login_verified(client, world["officer_x"])
    query = {"utlysning": world["call_x"].slug, "karakter_fra": "1", "fagekspert": world["reviewers"][0].pk}
    # The first page reads the filter's call and reviewer choices into the cache (casework/choices.py).
    with django_assert_max_num_queries(9):
        client.get(HOME)
    # session, user, OTP device, staff roles (with their schemes), my schemes, the page, and the
    # session's idle expiry: 65 rows with reviews add none.
    with django_assert_max_num_queries(7):
        response = client.get(HOME, query)
    assert len(references(response)) == 30
    with django_assert_max_num_queries(7):
        response = client.get(HOME)
    assert len(references(response)) == 50


def test_the_filter_s_choices_come_from_the_cache_until_a_call_or_a_reviewer_changes(client, world):
    force_login_verified(client, world["officer_x"])

    def choices(name):
        page = parse(client.get(HOME))
        return [o.text_content().strip() for o in page.xpath(f'//select[@name="{name}"]/option')][1:]

    reviewer = world["reviewers"][0]
    assert reviewer.full_name in choices("fagekspert")
    assert world["call_x"].title in choices("utlysning")
    with CaptureQueriesContext(connection) as read:
        choices("fagekspert")
    assert not [q for q in read.captured_queries if '"closes_at" DESC' in q["sql"] or "DISTINCT" in q["sql"]]
    reviewer.full_name = "Omdøpt Fagekspert"
    reviewer.save()
    assert "Omdøpt Fagekspert" in choices("fagekspert")
    new = StaffRoleFactory(agency=world["call_x"].scheme.agencies.get(), role=StaffRole.Role.REVIEWER).user
    assert new.full_name in choices("fagekspert")
    call = CallFactory(scheme=world["call_x"].scheme, title="En helt ny utlysning")
    assert "En helt ny utlysning" in choices("utlysning")
    call.delete()
    assert "En helt ny utlysning" not in choices("utlysning")
    new.staff_roles.all().delete()
    assert new.full_name not in choices("fagekspert")


def test_the_csv_has_the_filtered_rows_in_the_page_s_format(client, world, django_assert_max_num_queries):
    applications = clone(world, 65, state=State.IN_REVIEW)
    clone(world, 3, call=world["call_y"])
    reviewed(world, applications[0], world["reviewers"][0], [6, 5])
    reviewed(world, applications[0], world["reviewers"][1], [5, 5], submitted=False, due_days=-1)
    force_login_verified(client, world["officer_x"])
    # As the page without my schemes; the rows come through one server-side cursor.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("staff-queue-csv"), {"status": State.IN_REVIEW.value})
        content = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="soknader.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Saksnummer",
        "Tittel",
        "Organisasjon",
        "Utlysning",
        "Status",
        "Sendt inn",
        "Vurderinger levert",
        "Fageksperter tildelt",
        "Karakter",
        "Forsinket vurdering",
    ]
    assert len(rows) == 1 + 65
    first = applications[0]
    submitted_at = timezone.localtime(first.submitted_at)
    assert rows[1] == [
        first.reference,
        first.title,
        first.organisation.name,
        world["call_x"].title,
        "Til fagvurdering",
        submitted_at.strftime("%d.%m.%Y kl. %H:%M"),
        "1",
        "2",
        "5,6",  # 6·0,6 + 5·0,4
        "Ja",
    ]
    force_login_verified(client, world["officer_y"])
    content = b"".join(client.get(reverse("staff-queue-csv")).streaming_content).decode("utf-8")
    assert first.reference not in content and content.count("\r\n") == 1 + 3


def test_an_assignment_of_another_application_does_not_count(world):
    a, b = clone(world, 2, state=State.IN_REVIEW)
    reviewed(world, a, world["reviewers"][0], [5, 5])
    conflicted = reviewed(world, b, world["reviewers"][1], [5, 5], submitted=False)
    ReviewAssignment.objects.filter(pk=conflicted.pk).update(state=AssignmentState.CONFLICT)
    from casework.queue import queue_scope, with_figures

    rows = {r.pk: r for r in with_figures(queue_scope(user=world["admin"]), today=timezone.localdate())}
    assert (rows[a.pk].reviews_done, rows[a.pk].reviews_assigned) == (1, 1)
    assert (rows[b.pk].reviews_done, rows[b.pk].reviews_assigned, rows[b.pk].score) == (0, 0, None)


def test_the_score_range_agrees_with_the_score_shown(world):
    """The range is computed set-wise (one GROUP BY), the column per row: both give the same answer."""
    from casework.queue import queue_scope, score_between, with_figures

    applications = clone(world, 24, state=State.IN_REVIEW)
    for n, application in enumerate(applications[:20]):
        reviewed(world, application, world["reviewers"][0], [1 + n % 7, 1 + (n * 3) % 7])
        if n % 3:
            reviewed(world, application, world["reviewers"][1], [1 + (n * 5) % 7, 1 + (n + 2) % 7])
        if n % 4 == 0:
            consensus(world, application, world["criteria"][1], 1 + (n * 2) % 7)
    consensus(world, applications[21], world["criteria"][0], 6)  # one criterion only: no score
    scope = with_figures(queue_scope(user=world["officer_x"]), today=timezone.localdate())
    scores = {a.pk: a.score for a in scope}
    for low, high in ((Decimal("3.5"), None), (None, Decimal("4.2")), (Decimal("2"), Decimal("5.8")), (0, 100)):
        inside = [pk for pk, s in scores.items() if s is not None and (low is None or s >= low)]
        expected = {pk for pk in inside if high is None or scores[pk] <= high}
        assert set(score_between(scope, low=low, high=high).values_list("pk", flat=True)) == expected
    assert scores[applications[21].pk] is None and scores[applications[22].pk] is None


def test_the_csv_makes_formula_like_text_inert():
    from casework.views import _cell

    assert _cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert _cell("+47 22 00 00 00") == "'+47 22 00 00 00"
    assert _cell("Digital tilsynsassistent") == "Digital tilsynsassistent" and _cell("") == ""
