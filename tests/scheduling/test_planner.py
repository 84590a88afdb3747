"""The officers' planner (/saksbehandling/planlegger/): every row names its application and call,
rows made moot show as cancelled with the reason, and the list narrows by call, kind and state
(a GET form: no JavaScript). The clock is controlled (tests/clock.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.services.submission import application_withdraw
from review.services import conflict_declare, reviewer_assign
from scheduling.models import EffectState, ScheduledEffect
from scheduling.selectors import scheduler_overview
from tests.factories import StaffRoleFactory
from tests.html import visible_text
from tests.otp import force_login_verified
from tests.review import test_review_services
from tests.review.test_review_services import due, in_review

pytestmark = pytest.mark.django_db
call_world = test_review_services.call_world  # the review tests' fixture
URL = reverse("staff-scheduler")


@pytest.fixture
def planner(call_world):
    """Three applications in review with two assignments each (four rows per application), one
    withdrawn, one with a conflict declared; and another scheme's application, which the officer
    must not see."""
    officer, reviewers = call_world["officers"][0], call_world["reviewers"]
    applications = [in_review(call_world) for _ in range(3)]
    assignments = [
        reviewer_assign(application_id=a.pk, reviewer=r, by_user=officer, due_date=due())
        for a in applications for r in reviewers[:2]
    ]  # fmt: skip
    conflict_declare(assignment_id=assignments[0].pk, by_user=reviewers[0], conflict=True, note="Nabo")
    application_withdraw(application_id=applications[2].pk, by_user=applications[2].ansvarlig, reason="Avlyst")
    return {"officer": officer, "applications": applications, "assignments": assignments, **call_world}


def rows_text(response) -> str:
    return visible_text(response.text)


def test_every_row_names_its_application_and_call(client, planner, django_assert_max_num_queries):
    force_login_verified(client, planner["officer"])
    with django_assert_max_num_queries(16):
        response = client.get(URL, {"type": "review-reminder"})
    assert response.status_code == 200
    rows = response.context["upcoming"]
    waiting = planner["assignments"][1:4]  # the conflicted one and the withdrawn ones are not waiting
    assert sorted(e.target_id for e in rows) == sorted(a.pk for a in waiting)
    for effect in rows:
        assert effect.application.pk == next(a.application_id for a in waiting if a.pk == effect.target_id)
        assert effect.call == planner["call"]
    text = rows_text(response)
    for application in planner["applications"][:2]:
        assert application.reference in text
    assert planner["applications"][2].reference not in text  # withdrawn: its rows are cancelled


def test_the_state_filter_shows_the_cancelled_rows_with_the_reason(client, planner):
    force_login_verified(client, planner["officer"])
    response = client.get(URL, {"tilstand": EffectState.CANCELLED, "type": "review-overdue"})
    keys = {e.key for e in response.context["upcoming"]}
    moot = [planner["assignments"][0], *planner["assignments"][4:]]
    assert keys == {f"review-overdue:{a.pk}" for a in moot}
    text = rows_text(response)
    assert "Fageksperten meldte seg inhabil" in text and "Søknaden er trukket" in text
    assert "Hendelser: Avlyst" in text


def test_the_call_filter_narrows_and_a_call_of_another_scheme_is_refused(
    client, planner, django_assert_max_num_queries
):
    from tests.factories import CallFactory

    force_login_verified(client, planner["officer"])
    mine = client.get(URL, {"utlysning": planner["call"].slug})
    assert mine.context["upcoming"] and all(e.call == planner["call"] for e in mine.context["upcoming"])
    other = CallFactory(title="Ikke min")
    refused = client.get(URL, {"utlysning": other.slug, "type": "review-reminder"})
    assert refused.status_code == 200
    assert set(refused.context["filterset"].errors) == {"utlysning"}
    assert "Ikke min" not in rows_text(refused)  # not even offered as a choice
    # Nothing typed is lost: the kind stays chosen, and the list falls back to every waiting row.
    assert refused.context["filterset"].form["type"].value() == "review-reminder"


def test_an_officer_of_another_scheme_sees_none_of_these_rows_and_a_superuser_sees_them(client, planner):
    from tests.factories import SchemeFactory, SuperuserFactory

    stranger = StaffRoleFactory(schemes=[SchemeFactory()]).user
    assert not scheduler_overview(user=stranger, data=None)["upcoming"]
    force_login_verified(client, stranger)
    assert planner["applications"][0].reference not in rows_text(client.get(URL))
    force_login_verified(client, SuperuserFactory())
    assert planner["applications"][0].reference in rows_text(client.get(URL, {"type": "review-reminder"}))


def test_the_query_count_does_not_grow_with_the_rows(client, call_world, django_assert_max_num_queries):
    officer, reviewers = call_world["officers"][0], call_world["reviewers"]
    for _ in range(8):
        application = in_review(call_world)
        for reviewer in reviewers:
            reviewer_assign(application_id=application.pk, reviewer=reviewer, by_user=officer, due_date=due())
    ScheduledEffect.objects.filter(kind="review-overdue").update(state=EffectState.FAILED, failed_at=timezone.now())
    force_login_verified(client, officer)
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert len(response.context["upcoming"]) >= 24 and len(response.context["failed"]) == 24
    assert all(e.application is not None for e in response.context["upcoming"] + response.context["failed"]
               if e.target_type in ("assignment", "application"))  # fmt: skip
