"""The stored weighted score (review/figures.py) follows the call's criteria: a weight changed in the
call's admin page, or by the seed, counts at once in the queue's score column, filter and sort, as in
the panel's ranking (which computes it afresh)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from applications.workflow import State
from review.selectors import panel_ranking
from schemes.models import Call
from tests.casework.queue_world import build_world, clone, consensus, reviewed
from tests.html import one, parse
from tests.otp import force_login_verified
from tests.review.test_review_services import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(private_storage):
    world = build_world(submit_template=lambda call: submitted({"call": call}))
    Call.objects.filter(pk=world["call_x"].pk).update(min_amount=100_000, max_amount=1_000_000)  # the admin's checks
    return world


def _stored(application) -> Decimal | None:
    return Application.objects.values_list("weighted_score", flat=True).get(pk=application.pk)


def _post_weights(client, call, weights: dict[int, int]):
    """The call's change page posted back as a browser would, with the criteria's new weights."""
    url = reverse("admin:schemes_call_change", args=[call.pk])
    form = one(parse(client.get(url)), "form#call_form")
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    ids = {int(v[0]): k.removesuffix("-id") for k, v in data.items() if k.startswith("criteria-") and k.endswith("-id")}
    for criterion_id, weight in weights.items():
        data[f"{ids[criterion_id]}-weight"] = [str(weight)]
    return client.post(url, data)


def test_new_weights_in_the_admin_change_the_stored_score_the_queue_shows_and_filters_on(client, world):
    a, b = clone(world, 2, state=State.IN_REVIEW)
    reviewed(world, a, world["reviewers"][0], [6, 2])
    reviewed(world, b, world["reviewers"][0], [3, 3])
    consensus(world, b, world["criteria"][0], 7)
    assert (_stored(a), _stored(b)) == (Decimal("4.4"), Decimal("5.4"))  # 6·0,6 + 2·0,4 and 7·0,6 + 3·0,4
    untouched = clone(world, 1, state=State.IN_REVIEW, call=world["call_y"])[0]

    force_login_verified(client, world["admin"])
    c1, c2 = world["criteria"]
    response = _post_weights(client, world["call_x"], {c1.pk: 25, c2.pk: 75})
    assert response.status_code == 302, response.context["errors"] if response.context else response

    assert (_stored(a), _stored(b)) == (Decimal("3.0"), Decimal("4.0"))  # 6·0,25 + 2·0,75 and 7·0,25 + 3·0,75
    rows, _summary = panel_ranking(call=world["call_x"])
    assert {r.application.pk: r.weighted for r in rows} == {a.pk: _stored(a), b.pk: _stored(b)}
    assert _stored(untouched) is None

    force_login_verified(client, world["officer_x"])
    page = client.get(reverse("staff-home"), {"karakter_fra": "3,5"})
    assert f"Velg {b.reference}" in page.text and f"Velg {a.reference}" not in page.text


def test_a_change_that_leaves_the_criteria_alone_recomputes_nothing(client, world):
    a = clone(world, 1, state=State.IN_REVIEW)[0]
    reviewed(world, a, world["reviewers"][0], [6, 2])
    Application.objects.filter(pk=a.pk).update(weighted_score=Decimal("9"))  # a marker the refresh would overwrite
    force_login_verified(client, world["admin"])
    response = _post_weights(client, world["call_x"], {})
    assert response.status_code == 302
    assert _stored(a) == Decimal("9")
