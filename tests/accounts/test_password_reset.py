"""Password reset by e-mail: the mail and its language, no account enumeration, expiry, one use,
validators, other sessions ended, django-axes lockouts lifted."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "blåbærsyltetøy-på-vaffel"


def later(delta: timedelta):
    """Travel ``delta`` into the future. Django's token generator uses naive local time
    (datetime.now()), and time-machine makes the destination's zone the local one, so the
    destination must be in our zone: a UTC moment would shift naive time by the UTC offset."""
    return time_machine.travel(timezone.localtime() + delta)


def request_reset(client, email):
    return client.post(reverse("password-reset"), {"email": email})


def link_from(message) -> str:
    (url,) = re.findall(r"https?://\S+", message.body)
    return url


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def open_link(client, url):
    """Follow the mailed link: Django swaps the token for a session value and redirects."""
    response = client.get(path_of(url))
    assert response.status_code == 302, "the link should be valid"
    assert response["Location"].endswith("/nytt-passord/")
    return response["Location"]


def set_password(client, form_url, password=NEW_PASSWORD, repeat=None):
    return client.post(form_url, {"new_password1": password, "new_password2": repeat or password})


def test_the_pages_have_norwegian_addresses_and_login_links_to_the_request_page(client):
    assert reverse("password-reset") == "/glemt-passord/"
    assert reverse("password-reset-done") == "/glemt-passord/sendt/"
    assert reverse("password-reset-complete") == "/glemt-passord/ferdig/"
    response = client.get(reverse("login"))
    assert f'href="{reverse("password-reset")}">Glemt passordet?</a>' in response.text


def test_a_known_address_gets_one_mail_with_an_absolute_one_hour_link(client):
    user = UserFactory(email="kari@bergen.kommune.no", full_name="Kari Nordmann")
    response = request_reset(client, "Kari@Bergen.kommune.no")
    assert response.status_code == 302
    assert response["Location"] == reverse("password-reset-done")
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "Velg nytt passord til Innovasjonsportalen"
    assert message.body.startswith("Hei, Kari Nordmann!")
    assert "Lenken virker i 1 time. Den kan bare brukes én gang." in message.body
    assert link_from(message).startswith("http://testserver/glemt-passord/")
    assert message.extra_headers["Content-Language"] == "nb"
    assert "&#x27;" not in message.body and "&amp;" not in message.body  # plain text, not HTML-escaped


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_mail_is_in_the_recipients_stored_language_not_the_requesters(client, language):
    UserFactory(email="kari@bergen.kommune.no", language=language)
    client.cookies["django_language"] = "nb"
    request_reset(client, "kari@bergen.kommune.no")
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == language
    with translation.override(language):
        assert message.subject == translation.gettext("Velg nytt passord til Innovasjonsportalen")


def test_the_validity_in_the_mail_follows_the_setting(client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 30 * 60
    UserFactory(email="kari@bergen.kommune.no")
    request_reset(client, "kari@bergen.kommune.no")
    assert "Lenken virker i 30 minutter." in mail.outbox[0].body
    assert "Lenken virker i 30 minutter." in client.get(reverse("password-reset-done")).text


def test_an_unknown_address_gets_exactly_the_same_answer_and_no_mail(client, django_assert_max_num_queries):
    UserFactory(email="kari@bergen.kommune.no")
    known = request_reset(client, "kari@bergen.kommune.no")
    with django_assert_max_num_queries(1):  # the user lookup; nothing else differs
        unknown = request_reset(client, "ingen@bergen.kommune.no")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mail.outbox) == 1

    def page(response):  # the same page but for the CSRF token of the language switcher
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", client.get(response["Location"]).text)

    assert page(known) == page(unknown)


@pytest.mark.parametrize("kind", ["inactive", "unusable password"])
def test_inactive_users_and_users_without_a_password_get_no_mail(client, kind):
    user = UserFactory(email="kari@bergen.kommune.no", is_active=kind != "inactive")
    if kind == "unusable password":
        user.set_unusable_password()
        user.save()
    response = request_reset(client, user.email)
    assert response["Location"] == reverse("password-reset-done")
    assert mail.outbox == []


def test_a_mail_that_cannot_be_sent_is_logged_and_the_answer_is_unchanged(client, monkeypatch, caplog):
    UserFactory(email="kari@bergen.kommune.no")

    def fail(*args, **kwargs):
        raise ConnectionRefusedError("smtp is down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", fail)
    response = request_reset(client, "kari@bergen.kommune.no")
    assert response["Location"] == reverse("password-reset-done")
    assert "Could not send the password reset e-mail" in caplog.text


@pytest.mark.parametrize(
    ("email", "error"),
    [("", "Skriv inn e-postadressen du logger inn med."), ("kari@", "Skriv inn en gyldig e-postadresse")],
)
def test_a_missing_or_malformed_address_is_explained(client, email, error):
    response = request_reset(client, email)
    assert response.status_code == 200
    assert "Rett opp dette før du går videre" in response.text
    assert error in response.text
    assert mail.outbox == []


def test_the_whole_reset_sets_the_password_and_the_link_then_no_longer_works(client):
    user = UserFactory(email="kari@bergen.kommune.no")
    request_reset(client, user.email)
    url = link_from(mail.outbox[0])
    form_url = open_link(client, url)
    assert url.split("/")[-2] not in form_url  # the token is not left in the address bar
    assert 'autocomplete="new-password"' in client.get(form_url).text

    response = set_password(client, form_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("password-reset-complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in client.session  # not logged in by the reset itself

    # Used: the same link, in this browser or another, shows the explanation.
    for browser in (client, Client()):
        response = browser.get(path_of(url))
        assert response.status_code == 200
        assert "Lenken virker ikke lenger" in response.text
        assert f'href="{reverse("password-reset")}"' in response.text

    login = Client().post(reverse("login"), {"username": user.email, "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_an_expired_link_is_explained_with_a_way_to_ask_for_a_new_one(client):
    user = UserFactory(email="kari@bergen.kommune.no")
    request_reset(client, user.email)
    url = link_from(mail.outbox[0])
    valid_for = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    with later(valid_for - timedelta(minutes=1)):
        assert Client().get(path_of(url)).status_code == 302  # still valid just before
    with later(valid_for + timedelta(minutes=1)):
        response = client.get(path_of(url))
    assert response.status_code == 200
    assert "Lenken virker ikke lenger" in response.text
    assert "for gammel, er allerede brukt" in response.text
    assert f'href="{reverse("password-reset")}"' in response.text
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_an_expired_link_cannot_be_used_even_with_the_form_already_open(client):
    user = UserFactory(email="kari@bergen.kommune.no")
    request_reset(client, user.email)
    form_url = open_link(client, link_from(mail.outbox[0]))
    with later(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)):
        response = set_password(client, form_url)
    assert response.status_code == 200
    assert "Lenken virker ikke lenger" in response.text
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize(
    ("password", "repeat", "error"),
    [
        ("qwertyuiop", None, "Dette passordet er for vanlig."),
        ("8203948571", None, "Dette passordet inneholder bare tall."),
        ("kort-pw", None, "Passordet er for kort. Det må ha minst 10 tegn."),
        ("kari@bergen.kommune", None, "Passordet er for likt"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "De to passordene er ikke like."),
    ],
)
def test_a_weak_password_is_refused_in_norwegian_and_nothing_secret_is_sent_back(client, password, repeat, error):
    user = UserFactory(email="kari@bergen.kommune.no")
    request_reset(client, user.email)
    form_url = open_link(client, link_from(mail.outbox[0]))
    response = set_password(client, form_url, password, repeat)
    assert response.status_code == 200
    assert "Rett opp dette før du går videre" in response.text
    assert error in response.text
    assert password not in response.text.replace(user.email, "")
    assert 'aria-invalid="true"' in response.text
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    # Still usable after the mistake.
    assert set_password(client, form_url).status_code == 302


def test_a_reset_ends_the_users_other_sessions(client):
    user = UserFactory(email="kari@bergen.kommune.no")
    elsewhere = Client()
    assert elsewhere.post(reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD}).status_code == 302
    assert elsewhere.get(reverse("my-page")).status_code == 200
    someone_else = Client()
    someone_else.force_login(UserFactory())

    request_reset(client, user.email)
    set_password(client, open_link(client, link_from(mail.outbox[0])))

    response = elsewhere.get(reverse("my-page"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert someone_else.get(reverse("my-page")).status_code == 200


def test_a_reset_lifts_the_lockout_for_that_account_only(client):
    user = UserFactory(email="kari@bergen.kommune.no")
    other = UserFactory(email="ola@bergen.kommune.no")
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for typed in ["kari@bergen.kommune.no", "KARI@bergen.kommune.no"]:  # axes stores the address as typed
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attacker.post(reverse("login"), {"username": typed, "password": "feil-passord"})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(reverse("login"), {"username": other.email, "password": "feil-passord"})
    locked = attacker.post(reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD})
    assert locked.status_code == 429

    request_reset(client, user.email)
    set_password(client, open_link(client, link_from(mail.outbox[0])))

    assert not AccessAttempt.objects.filter(username__iexact=user.email).exists()
    assert AccessAttempt.objects.filter(username=other.email).exists()  # someone else's lock stays
    login = Client(REMOTE_ADDR="198.51.100.7").post(
        reverse("login"), {"username": user.email, "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
