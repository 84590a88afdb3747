"""Smaller hardening items of issue 18: no-store for logged-in people, a Permissions-Policy,
logging out with an unsafe ``next``, and a length limit on reviewers' and officers' free text."""

import pytest
from django import forms
from django.urls import reverse

from review import forms as review_forms
from tests.factories import UserFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def test_every_answer_has_a_permissions_policy(client):
    policy = client.get(reverse("home"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_an_anonymous_page_may_be_cached_but_a_logged_in_one_never(client):
    assert "no-store" not in client.get(reverse("home")).get("Cache-Control", "")
    client.force_login(UserFactory())
    for name in ("home", "my-page"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert not response.has_header("Expires")


def test_the_casework_csv_is_never_stored(client):
    from tests.otp import force_login_verified

    force_login_verified(client, UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("staff-queue-csv"))
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_logging_out_with_an_unsafe_next_ends_on_the_logged_out_page(client, next_url):
    client.force_login(UserFactory())
    response = client.post(reverse("logout") + "?next=" + next_url, follow=True)
    assert response.status_code == 200
    assert all("evil" not in url for url, _status in response.redirect_chain)
    assert "Du er logget ut" in visible_text(response)
    assert not response.wsgi_request.user.is_authenticated


def test_logging_out_with_a_safe_next_goes_there(client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout") + "?next=/ordninger/")
    assert (response.status_code, response["Location"]) == (302, "/ordninger/")


FREE_TEXT_FORMS = [
    review_forms.FormalCheckForm,
    review_forms.ConsensusForm,
    review_forms.DecisionForm,
    review_forms.ConflictForm,
    review_forms.ReviewForm,
    review_forms.OfferAnswerForm,
    review_forms.TransitionCommentForm,
]


@pytest.mark.parametrize("form_class", FREE_TEXT_FORMS, ids=lambda f: f.__name__)
def test_free_text_in_review_formal_check_consensus_and_offer_answers_is_at_most_10_000(form_class):
    texts = {name: f for name, f in form_class.base_fields.items() if type(f) is forms.CharField}
    assert texts, "a form with free text"
    for name, field in texts.items():
        assert field.max_length == 10_000, name


def test_a_comment_one_character_too_long_is_refused():
    form = review_forms.TransitionCommentForm(data={"comment": "x" * 10_001})
    assert not form.is_valid() and "comment" in form.errors
    assert review_forms.TransitionCommentForm(data={"comment": "x" * 10_000}).is_valid()
