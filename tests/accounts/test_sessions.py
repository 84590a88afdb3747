from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_session_ends_after_inactivity_but_not_while_in_use(client):
    client.force_login(UserFactory())
    url = reverse("my-page")
    start = timezone.now()
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    # Used every so often for longer than the idle limit: still logged in.
    for step in range(1, 4):
        with time_machine.travel(start + step * (idle - timedelta(minutes=5))):
            assert client.get(url).status_code == 200
    # Then left alone for longer than the limit: logged out.
    with time_machine.travel(start + 3 * (idle - timedelta(minutes=5)) + idle + timedelta(minutes=1)):
        response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_deactivating_an_account_logs_it_out_everywhere(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("my-page")).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(reverse("my-page")).status_code == 302
