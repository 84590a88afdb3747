from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from portal.sessions import SessionStore
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


MOMENT = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # a controlled now, not the day the tests run


def test_an_unchanged_session_is_written_at_most_once_a_minute(client):
    """Each request moves the idle expiry on, but the row is written only when it would move by
    more than a minute (portal/sessions.py): the session ends at most a minute early, never late."""
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    url = reverse("my-page")
    with time_machine.travel(MOMENT, tick=False):
        client.force_login(UserFactory())
        key = client.session.session_key
    assert Session.objects.get(pk=key).expire_date == MOMENT + idle
    with time_machine.travel(MOMENT + timedelta(seconds=50), tick=False):
        assert client.get(url).status_code == 200
    assert Session.objects.get(pk=key).expire_date == MOMENT + idle
    with time_machine.travel(MOMENT + timedelta(seconds=70), tick=False):
        assert client.get(url).status_code == 200
    assert Session.objects.get(pk=key).expire_date == MOMENT + timedelta(seconds=70) + idle


def test_a_changed_session_is_written_at_once(client):
    with time_machine.travel(MOMENT, tick=False):
        client.force_login(UserFactory())
        key = client.session.session_key
    with time_machine.travel(MOMENT + timedelta(seconds=5), tick=False):
        store = SessionStore(key)
        store["valgt"] = "nynorsk"
        store.save()
        assert SessionStore(key).load()["valgt"] == "nynorsk"  # read while it is valid: at the controlled now
    assert Session.objects.get(pk=key).expire_date == MOMENT + timedelta(seconds=5 + settings.SESSION_COOKIE_AGE)
