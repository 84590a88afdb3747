"""Bulk actions from the queue (a plain form post: no JavaScript) and the panel view of a call."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationEvent, EventKind
from applications.workflow import ASSESSMENT_DONE, FORMAL_APPROVE, START_FORMAL_CHECK, State
from review.models import Decision, FormalCheck, Outcome, ReviewAssignment
from review.selectors import panel_ranking
from schemes.models import Call
from tests.casework.queue_world import build_world, clone, consensus, reviewed
from tests.otp import force_login_verified
from tests.review.test_review_services import submitted

pytestmark = pytest.mark.django_db
ACTION = reverse("staff-queue-action")


def due() -> str:
    """Twenty days from the run's "now" (read when used, never at import)."""
    return (timezone.localdate() + timedelta(days=20)).isoformat()


@pytest.fixture
def world(private_storage):
    return build_world(submit_template=lambda call: submitted({"call": call}))


def states(applications) -> dict[int, str]:
    return dict(Application.objects.filter(pk__in=[a.pk for a in applications]).values_list("pk", "state"))


def test_formal_approval_moves_the_rows_the_table_allows_and_names_the_others(client, world):
    ready = clone(world, 3, state=State.FORMAL_CHECK)
    not_ready = clone(world, 2, state=State.SUBMITTED)
    force_login_verified(client, world["officer_x"])
    back = f"status={State.FORMAL_CHECK.value}"
    response = client.post(
        ACTION,
        {"handling": FORMAL_APPROVE, "soknad": [a.pk for a in ready + not_ready], "tilbake": back},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("staff-home") + "?" + back
    text = response.text
    assert "3 flyttet. 2 kunne ikke flyttes" in text
    for application in not_ready:
        assert f"{application.reference}: status «Sendt inn»" in text
    after = states(ready + not_ready)
    assert all(after[a.pk] == State.IN_REVIEW for a in ready)
    assert all(after[a.pk] == State.SUBMITTED for a in not_ready)
    assert FormalCheck.objects.filter(application__in=ready, approved=True).count() == 3
    assert not FormalCheck.objects.filter(application__in=not_ready).exists()


def test_other_moves_and_a_bulk_action_over_30_rows_has_a_bounded_query_count(
    client, world, django_assert_max_num_queries
):
    rows = clone(world, 30, state=State.SUBMITTED)
    # The formal check starts after the deadline (until then the applicant may reopen).
    Call.objects.filter(pk__in={a.call_id for a in rows}).update(closes_at=timezone.now() - timedelta(minutes=5))
    force_login_verified(client, world["officer_x"])
    # Reads are one query for all rows (plus the scope check); each row's move is the transition
    # service's savepoint, lock, state update and timeline row: 5 per row (161 for 30 measured).
    with django_assert_max_num_queries(12 + 5 * 30):
        response = client.post(ACTION, {"handling": START_FORMAL_CHECK, "soknad": [a.pk for a in rows]})
    assert response.status_code == 302
    assert set(states(rows).values()) == {State.FORMAL_CHECK}
    assert ApplicationEvent.objects.filter(application__in=rows, kind=EventKind.STATE_CHANGED).count() == 30
    Application.objects.filter(pk__in=[a.pk for a in rows[:5]]).update(state=State.IN_REVIEW)
    response = client.post(ACTION, {"handling": ASSESSMENT_DONE, "soknad": [a.pk for a in rows[:6]]}, follow=True)
    assert "5 flyttet. 1 kunne ikke flyttes" in response.text
    assert f"{rows[5].reference}: status «Formell kontroll»" in response.text


def test_assigning_reviewers_in_bulk_uses_the_due_date_and_skips_rows_not_in_review(
    client, world, django_assert_max_num_queries
):
    in_review = clone(world, 30, state=State.IN_REVIEW)
    formal = clone(world, 1, state=State.FORMAL_CHECK)[0]
    force_login_verified(client, world["officer_x"])
    # The reads per row are reviewers_assign_bulk's own (the call's settings, the reviewers
    # already there, the suggestions), then two assignments each, each with its reminder and
    # overdue rows (one insert): linear in the rows, by design.
    # 894 measured before the stored queue figures; each assignment now also updates them (+60).
    with django_assert_max_num_queries(14 + 32 * 30):
        response = client.post(
            ACTION, {"handling": "tildel", "frist": due(), "soknad": [a.pk for a in [*in_review, formal]]}, follow=True
        )
    assert "30 søknader fikk fageksperter (60 tildelinger)." in response.text
    assert f"{formal.reference}: status «Formell kontroll»" in response.text
    assignments = ReviewAssignment.objects.filter(application__in=in_review)
    assert assignments.count() == 60
    assert {a.due_date.isoformat() for a in assignments} == {due()}
    assert not ReviewAssignment.objects.filter(application=formal).exists()
    # Two each already: asked again, none is wanted.
    response = client.post(ACTION, {"handling": "tildel", "frist": due(), "soknad": [in_review[0].pk]}, follow=True)
    assert "har nok fageksperter" in response.text
    assert ReviewAssignment.objects.count() == 60


def test_a_bulk_action_without_rows_or_due_date_shows_the_page_again_and_writes_nothing(client, world):
    rows = clone(world, 2, state=State.IN_REVIEW)
    force_login_verified(client, world["officer_x"])
    response = client.post(ACTION, {"handling": "tildel", "frist": "", "tilbake": "status=fagvurdering"})
    assert response.status_code == 200
    assert "Velg minst én søknad i tabellen." in response.text
    assert "Skriv fristen for fagvurderingen." in response.text
    response = client.post(
        ACTION, {"handling": "tildel", "frist": "2001-01-01", "soknad": [rows[0].pk], "tilbake": "status=fagvurdering"}
    )
    assert "Fristen kan ikke være tilbake i tid." in response.text
    # What was chosen is kept.
    assert re.search(rf'value="{rows[0].pk}"\s+id="velg-{rows[0].pk}"\s+checked', response.text)
    assert not ReviewAssignment.objects.exists()


def test_an_officer_of_another_scheme_cannot_move_scheme_x_s_applications(client, world):
    rows = clone(world, 2, state=State.FORMAL_CHECK)
    force_login_verified(client, world["officer_y"])
    response = client.post(ACTION, {"handling": FORMAL_APPROVE, "soknad": [a.pk for a in rows]}, follow=True)
    assert "0 flyttet." in response.text
    for application in rows:
        assert application.reference not in response.text
    assert set(states(rows).values()) == {State.FORMAL_CHECK}
    # The same post by the scheme's officer moves them.
    force_login_verified(client, world["officer_x"])
    client.post(ACTION, {"handling": FORMAL_APPROVE, "soknad": [a.pk for a in rows]})
    assert set(states(rows).values()) == {State.IN_REVIEW}


def test_a_reviewer_and_an_applicant_may_not_post_bulk_actions(client, world):
    rows = clone(world, 1, state=State.FORMAL_CHECK)
    force_login_verified(client, world["reviewers"][0])
    assert client.post(ACTION, {"handling": FORMAL_APPROVE, "soknad": [rows[0].pk]}).status_code == 403
    client.force_login(world["applicant"])
    assert client.post(ACTION, {"handling": FORMAL_APPROVE, "soknad": [rows[0].pk]}).status_code == 403
    assert states(rows)[rows[0].pk] == State.FORMAL_CHECK


# --- The panel ----------------------------------------------------------------------------------------
def panel_url(world):
    return reverse("staff-call-panel", args=[world["call_x"].slug])


def test_the_panel_ranks_by_weighted_score_and_draws_the_budget_line(client, world):
    Application.objects.filter(pk=world["template"].pk).update(state=State.SUBMITTED)  # not in the panel
    first, second, third = clone(world, 3, state=State.IN_REVIEW)
    reviewed(world, first, world["reviewers"][0], [7, 6])
    reviewed(world, first, world["reviewers"][1], [5, 6])
    reviewed(world, second, world["reviewers"][0], [4, 4])
    consensus(world, second, world["criteria"][0], 5)
    reviewed(world, third, world["reviewers"][0], [2, 2])
    Decision.objects.create(application=second, outcome=Outcome.APPROVE, granted_amount=400_000,
                            prepared_by=world["officer_x"])  # fmt: skip
    force_login_verified(client, world["officer_x"])
    response = client.get(panel_url(world))
    assert response.status_code == 200
    text = response.text
    order = [text.index(a.reference) for a in (first, second, third)]
    assert order == sorted(order)
    assert "<strong>6,0</strong>" in text  # means 6 and 6
    assert "<strong>4,6</strong>" in text  # consensus 5 and mean 4
    assert "omforent karakter" in text
    assert f'href="{reverse("staff-application", args=[first.pk])}"' in text
    assert "Innvilg" in text and "400\xa0000 kr" in text and "forberedt" in text
    requested = panel_ranking(call=world["call_x"])[0][0].requested
    assert requested > 0
    Call.objects.filter(pk=world["call_x"].pk).update(budget=requested * 3)
    assert "er brukt opp her" not in client.get(panel_url(world)).text
    # A budget that covers one and a half application: the line falls between the first and second.
    Call.objects.filter(pk=world["call_x"].pk).update(budget=requested * Decimal("1.5"))
    text = client.get(panel_url(world)).text
    assert text.index(first.reference) < text.index("er brukt opp her") < text.index(second.reference)


def test_the_panel_is_closed_to_officers_of_other_schemes_and_runs_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    applications = clone(world, 62, state=State.IN_REVIEW)
    for application in applications[:30]:
        reviewed(world, application, world["reviewers"][0], [5, 4])
    consensus(world, applications[1], world["criteria"][1], 6)
    force_login_verified(client, world["officer_y"])
    response = client.get(panel_url(world))
    assert response.status_code == 404
    assert applications[0].reference not in response.text
    force_login_verified(client, world["officer_x"])
    # session, user, OTP device, roles (+ schemes), the call, then panel_ranking's seven (settings,
    # criteria, applications, scores, consensus, assignments, decisions) and 3 for the session's
    # idle expiry: 62 applications add none.
    with django_assert_max_num_queries(16):
        response = client.get(panel_url(world))
    assert response.status_code == 200
    assert all(a.reference in response.text for a in applications)
    force_login_verified(client, world["admin"])
    assert client.get(panel_url(world)).status_code == 200
    assert client.get(reverse("staff-call-panel", args=["finnes-ikke"])).status_code == 404
