import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, email, password, ip="198.51.100.7"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_too_many_wrong_passwords_lock_the_account_from_that_address_with_a_norwegian_message(client):
    user = UserFactory(email="kari@bergen.kommune.no")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, user.email, "feil-passord").status_code == 200
    response = attempt(client, user.email, "feil-passord")
    assert response.status_code == 429
    assert "For mange mislykkede innlogginger" in response.text
    assert "Vent 15 minutter" in response.text

    # Even the right password is refused during the cool-off, and nothing logs in.
    response = attempt(client, user.email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    # The same person from another address is not locked out by the attacker.
    assert attempt(client, user.email, DEFAULT_PASSWORD, ip="203.0.113.9").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client):
    user = UserFactory(email="ola@trondheim.kommune.no")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, user.email, "feil-passord")
    assert attempt(client, user.email, DEFAULT_PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timezone.timedelta(minutes=1)):
        assert attempt(client, user.email, DEFAULT_PASSWORD).status_code == 302


def test_changing_the_case_of_the_address_does_not_reset_the_count(client):
    user = UserFactory(email="kari@bergen.kommune.no")
    spellings = [
        "kari@bergen.kommune.no",
        "Kari@bergen.kommune.no",
        "KARI@BERGEN.KOMMUNE.NO",
        " kari@Bergen.kommune.no",
    ]
    for spelling in spellings:
        assert attempt(client, spelling, "feil-passord").status_code == 200
    assert attempt(client, "kAri@bergen.kommune.no", "feil-passord").status_code == 429
    assert attempt(client, user.email, DEFAULT_PASSWORD).status_code == 429
