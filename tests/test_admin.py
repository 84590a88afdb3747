"""The admin: staff only, and it works under our CSP in a real browser."""

import json
import re

import pytest
from django.urls import reverse

from tests.accessibility import assert_accessible
from tests.factories import DEFAULT_PASSWORD, StaffFactory, SuperuserFactory, UserFactory
from tests.html import select, texts
from tests.otp import force_login_verified, totp_code, totp_device


@pytest.mark.django_db
def test_admin_is_denied_to_anonymous_and_to_applicants_and_open_to_staff(client):
    url = reverse("admin:index")
    assert client.get(url).status_code == 302  # to the admin login

    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    force_login_verified(client, StaffFactory())
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_admin_changelist_of_users_has_a_pinned_query_count(client, django_assert_max_num_queries):
    force_login_verified(client, SuperuserFactory())
    UserFactory.create_batch(60)
    with django_assert_max_num_queries(9):  # +1 since two-factor: the session's verified device
        response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_login_goes_through_the_portal_login_and_the_code_in_chromium_under_the_csp(page, site_url):
    admin = SuperuserFactory(email="admin@example.no")
    device = totp_device(admin)
    page.goto(site_url + reverse("admin:index"))
    # The admin's own login page only forwards to the portal's, which asks for the code as well.
    page.wait_for_url(re.compile(re.escape(f"{site_url}{reverse('login')}?next=") + "(/|%2F)admin(/|%2F)$"))
    assert_accessible(page, context="admin login")
    page.get_by_label("E-post").fill(admin.email)
    page.get_by_label("Passord").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(re.escape(f"{site_url}{reverse('login-verify')}?next=") + "(/|%2F)admin(/|%2F)$"))
    page.get_by_label("Engangskode").fill(totp_code(device))
    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_url(site_url + reverse("admin:index"))
    assert page.get_by_role("heading", level=1).inner_text() == "Administrasjon"


# --- The admin in Norwegian ---------------------------------------------------------------------
ADMIN_WORDS = {
    # language: (the add page's heading, the inline's add link, the empty choice)
    "nb": ("Legg til utlysning", "Legg til trinn", "– Velg –"),
    "nn": ("Legg til utlysing", "Legg til trinn", "– Vel –"),
    "en": ("Add call", "Add another stage", "- Select an option -"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_admin_speaks_the_admins_language_with_names_as_they_read(client, language):
    """Django 6.1's new «- Select an option -» has no Norwegian in Django, and its «Legg til ny %s»
    fits only some nouns (and its inline link capitalised the name: «Legg til ny Trinn»)."""
    force_login_verified(client, SuperuserFactory(language=language))
    response = client.get(reverse("admin:schemes_call_add"))
    assert response.status_code == 200 and response["Content-Language"] == language
    heading, add_another, empty_choice = ADMIN_WORDS[language]
    assert heading in texts(response, "h1")
    inlines = {
        e.get("id"): json.loads(e.get("data-inline-formset")) for e in select(response, "div[data-inline-formset]")
    }
    assert inlines["stages-group"]["options"]["addText"] == add_another
    scheme_choices = texts(response, "option")
    assert scheme_choices[0] == empty_choice
    if language != "en":
        assert "Select an option" not in response.text and "Legg til ny" not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "ahead"),
    [("nb", "Merk: Skriv klokkeslett i tidssonen %(timezone)s. (Du er %(offset)s time foran.)"),
     ("nn", "Merk: Skriv klokkeslett i tidssona %(timezone)s. (Du er %(offset)s time framom.)")],
)  # fmt: skip
def test_the_admins_time_zone_note_is_norwegian(client, language, ahead):
    """The note the date widgets show when the browser's clock is in another zone (Django 6.1's
    wording, which Django's own catalogues do not translate yet), with the calendar's day names."""
    force_login_verified(client, SuperuserFactory(language=language))
    response = client.get(reverse("admin:jsi18n"))
    assert response.status_code == 200
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", response.text, re.S).group(1))
    note = "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)"
    assert catalog[note][0] == ahead
    assert catalog["Monday"] in ("mandag", "måndag")
    assert catalog["%(month)s %(day)s, %(year)s"] == "%(day)s. %(month)s %(year)s"
