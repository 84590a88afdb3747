"""Which language a request gets (cookie, then the logged-in person's stored language, then bokmål),
and the language switcher storing a logged-in person's choice."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def language_of(client, url_name="my-page"):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response["Content-Language"]


def test_a_logged_in_person_without_a_cookie_gets_their_stored_language(client):
    client.force_login(UserFactory(language="nn"))
    assert language_of(client) == "nn"
    assert "Mi side" in client.get(reverse("my-page")).text


def test_the_cookie_wins_over_the_stored_language(client):
    client.force_login(UserFactory(language="nn"))
    client.cookies["django_language"] = "en"
    assert language_of(client) == "en"


def test_an_unknown_cookie_falls_back_to_the_stored_language_then_to_bokmaal(client):
    client.cookies["django_language"] = "xx"
    assert language_of(client, "home") == "nb"
    client.force_login(UserFactory(language="en"))
    assert language_of(client) == "en"


def test_after_logout_the_stored_language_no_longer_applies(client):
    client.force_login(UserFactory(language="en"))
    assert language_of(client, "home") == "en"
    client.post(reverse("logout"))
    assert language_of(client, "home") == "nb"


def test_the_browser_language_is_never_used(client):
    client.force_login(UserFactory(language="nb"))
    response = client.get(reverse("my-page"), headers={"accept-language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "nb"


def test_the_switcher_stores_a_logged_in_persons_choice_which_then_follows_them_to_another_browser(client):
    user = UserFactory(language="nb")
    client.force_login(user)
    response = client.post(reverse("set-language"), {"language": "nn", "next": reverse("my-page")})
    assert response.status_code == 302
    assert response["Location"] == reverse("my-page")
    assert response.cookies["django_language"].value == "nn"
    user.refresh_from_db()
    assert user.language == "nn"

    other_browser = client.__class__()
    other_browser.force_login(user)
    assert language_of(other_browser) == "nn"


def test_the_switcher_when_logged_out_only_sets_the_cookie(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.post(reverse("set-language"), {"language": "en", "next": "/"})
    assert response.cookies["django_language"].value == "en"


def test_the_switcher_ignores_an_unknown_language_and_a_get(client):
    user = UserFactory(language="nn")
    client.force_login(user)
    response = client.post(reverse("set-language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies
    client.get(reverse("set-language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "nn"
