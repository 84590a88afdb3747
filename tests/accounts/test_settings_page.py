"""Min side → Innstillinger: name and language, saved on the user and used at once."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/min-side/innstillinger/"


def test_the_settings_page_is_at_its_norwegian_address_and_shows_the_current_values(client):
    assert reverse("my-settings") == URL
    client.force_login(UserFactory(full_name="Kari Nordmann", language="nn"))
    response = client.get(URL)
    assert response.status_code == 200
    assert 'value="Kari Nordmann"' in response.text
    assert 'value="nn" id="id_language_1" checked' in response.text


def test_saving_stores_name_and_language_and_the_portal_switches_at_once(client, django_assert_max_num_queries):
    user = UserFactory(full_name="Kari", language="nb")
    client.force_login(user)
    client.cookies["django_language"] = "nb"  # chosen earlier with the switcher
    with django_assert_max_num_queries(6):  # session, user, update, + 3 for the idle-expiry session save
        response = client.post(URL, {"full_name": "  Kari Nordmann ", "language": "en"})
    assert response.status_code == 302
    assert response["Location"] == URL
    # The cookie follows, or it would keep showing the old language in this browser.
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Kari Nordmann", "en")
    response = client.get(URL)
    assert response["Content-Language"] == "en"
    assert 'role="status"' in response.text  # the confirmation, shown once
    assert 'role="status"' not in client.get(URL).text


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"full_name": "", "language": "nn"}, "Skriv inn navnet ditt."),
        ({"full_name": "Kari", "language": "sv"}, "Velg et gyldig valg"),
        ({"full_name": "Kari"}, "Velg et språk."),
    ],
)
def test_bad_input_is_explained_in_the_error_summary_and_nothing_is_written(client, data, error):
    user = UserFactory(full_name="Kari Nordmann", language="nb")
    client.force_login(user)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "Rett opp dette før du går videre" in response.text
    assert error in response.text
    assert "django_language" not in response.cookies
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Kari Nordmann", "nb")


def test_min_side_links_to_the_settings(client):
    client.force_login(UserFactory())
    assert f'href="{URL}"' in client.get(reverse("my-page")).text
