"""Beat's hourly ``clearsessions``: expired sessions go, live ones stay."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.schedule import PERIODIC_TASKS
from portal.tasks import clear_sessions

pytestmark = pytest.mark.django_db


def test_the_task_is_scheduled_and_removes_only_expired_sessions():
    assert ("portal.clear_sessions", 3600) in PERIODIC_TASKS.values()
    now = timezone.now()
    Session.objects.create(session_key="utlopt", session_data="x", expire_date=now - timedelta(seconds=1))
    Session.objects.create(session_key="levende", session_data="x", expire_date=now + timedelta(hours=1))
    clear_sessions()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["levende"]
