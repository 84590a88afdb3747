"""Throttles (issue 18): password spraying from one address across accounts, password-reset
requests per account and per address (the mail sent by a Celery task, so the answer is the same
for known and unknown addresses), invitations per person; each refusal a page in the person's
language saying when to try again; the client address behind a configured number of proxies."""

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from organisations.models import Invitation, Membership
from portal.throttle import client_ip
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db

SPRAYER, OTHER = "203.0.113.9", "198.51.100.20"
REFUSED = {"nb": "For mange forsøk", "nn": "For mange forsøk", "en": "Too many attempts"}


@pytest.fixture
def limits(settings):
    settings.THROTTLES = {**settings.THROTTLES, "login-ip": (3, 900), "reset-account": (2, 3600),
                          "reset-ip": (4, 3600), "invite-user": (2, 3600), "invite-ip": (40, 3600)}  # fmt: skip
    return settings.THROTTLES


def login(client, email, password, ip):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def assert_refused(response, language="nb"):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    text = visible_text(response)
    assert REFUSED[language] in text
    assert any(word in text for word in ("minutt", "minute"))


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_one_address_trying_a_password_on_many_accounts_is_stopped_and_told_when_to_try_again(client, limits, language):
    people = [UserFactory(email=f"person{n}@bergen.kommune.no") for n in range(5)]
    client.cookies["django_language"] = language
    for person in people[:3]:  # one wrong password each: axes alone (per account) never locks
        assert login(client, person.email, "Sommer2026!", SPRAYER).status_code == 200
    # The fourth account, even with its right password, is refused from that address.
    assert_refused(login(client, people[3].email, DEFAULT_PASSWORD, SPRAYER), language)
    # From another address the same person logs in.
    assert login(client, people[3].email, DEFAULT_PASSWORD, OTHER).status_code == 302


def test_successful_logins_from_a_shared_office_address_are_not_counted(client, limits):
    people = [UserFactory(email=f"kollega{n}@bergen.kommune.no") for n in range(6)]
    for person in people:
        assert login(client, person.email, DEFAULT_PASSWORD, SPRAYER).status_code == 302
        client.logout()


def reset(client, email, ip=OTHER):
    return client.post(reverse("password-reset"), {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_is_limited_per_account(client, limits, django_capture_on_commit_callbacks, eager):
    UserFactory(email="kari@bergen.kommune.no")
    with django_capture_on_commit_callbacks(execute=True):
        for ip in ("192.0.2.1", "192.0.2.2"):
            assert reset(client, "kari@bergen.kommune.no", ip).status_code == 302
        assert_refused(reset(client, "Kari@Bergen.kommune.no", "192.0.2.3"))
    assert len(mail.outbox) == 2


def test_password_reset_is_limited_per_address(client, limits):
    for n in range(4):
        assert reset(client, f"ukjent{n}@bergen.kommune.no").status_code == 302
    assert_refused(reset(client, "enda.en@bergen.kommune.no"))


def test_the_reset_mail_is_sent_by_the_task_not_in_the_request(client, limits, django_capture_on_commit_callbacks,
                                                                eager):  # fmt: skip
    UserFactory(email="kari@bergen.kommune.no")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        known = reset(client, "kari@bergen.kommune.no")
        unknown = reset(client, "ingen@bergen.kommune.no")
    assert mail.outbox == []  # nothing sent while answering
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(queued) == 2
    for callback in queued:
        callback()
    assert [m.to for m in mail.outbox] == [["kari@bergen.kommune.no"]]


def test_invitations_are_limited_per_person(client, limits, django_capture_on_commit_callbacks):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    client.force_login(ansvarlig.user)
    url = reverse("organisation-invite", args=[ansvarlig.organisation.org_number])
    for n in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"email": f"ny{n}@bergen.kommune.no", "role": Membership.Role.MEMBER})
        assert response.status_code == 302
    assert_refused(client.post(url, {"email": "ny9@bergen.kommune.no", "role": Membership.Role.MEMBER}))
    assert Invitation.objects.count() == 2


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.5"),  # no proxy trusted: the header is the client's own words
        (1, "", "10.0.0.5"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a spoofed first entry is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (3, "203.0.113.9", "203.0.113.9"),
    ],
)
def test_the_client_address_is_taken_behind_the_configured_number_of_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_axes_counts_by_the_same_address(settings, client):
    settings.TRUSTED_PROXY_COUNT = 1
    from axes.helpers import get_client_ip_address

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert get_client_ip_address(request) == "203.0.113.9"
