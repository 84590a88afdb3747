"""Calls open and close themselves, and followers hear of it once: the clock moved across each date."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from applications.services.deadlines import CLOSE_GRACE
from scheduling.engine import effects_sweep
from scheduling.models import CallEvent, Notice, ScheduledEffect
from scheduling.services import call_schedule, watch_follow
from schemes.models import Call, CallStatus, Theme
from tests.factories import SchemeFactory, UserFactory
from tests.scheduling.helpers import CLOSES, OPENS, scheduled_call

pytestmark = pytest.mark.django_db


def sweep_at(moment, eager):
    with time_machine.travel(moment, tick=False), eager():
        effects_sweep()


def events(call):
    return sorted(CallEvent.objects.filter(call=call).values_list("kind", "due_at"))


def who_was_told():
    return sorted(Notice.objects.values_list("user__email", "call__slug"))


def test_saving_a_call_arms_its_open_and_close_rows_and_a_date_change_moves_them(eager):
    call = scheduled_call()
    call_rows = ScheduledEffect.objects.filter(kind__in=["call-open", "call-close"])  # reminders: test_deadlines
    rows = {r.key: (r.kind, r.due_at, r.state) for r in call_rows}
    assert rows == {f"call-open:{call.pk}": ("call-open", OPENS, "pending"),
                    f"call-close:{call.pk}": ("call-close", CLOSES + CLOSE_GRACE, "pending")}  # fmt: skip
    sweep_at(OPENS + timedelta(minutes=1), eager)
    assert ScheduledEffect.objects.get(key=f"call-open:{call.pk}").state == "done"

    call_schedule(call=call)  # saved again with the same dates: nothing moves, done stays done
    assert ScheduledEffect.objects.get(key=f"call-open:{call.pk}").state == "done"

    later = OPENS + timedelta(days=7)
    Call.objects.filter(pk=call.pk).update(opens_at=later)
    call.refresh_from_db()
    call_schedule(call=call)  # the officer postponed the opening: re-armed at the new moment
    row = ScheduledEffect.objects.get(key=f"call-open:{call.pk}")
    assert (row.due_at, row.state, row.attempts) == (later, "pending", 0)
    assert call_rows.count() == 2


def test_the_clock_across_opening_and_closing_gives_each_follower_one_notice_and_one_mail(eager):
    theme = Theme.objects.create(slug="klima", name="Klima")
    scheme = SchemeFactory(name="Klimaordningen", name_en="The climate scheme", slug="klima-ordning")
    scheme.themes.set([theme])
    other_scheme = SchemeFactory()
    by_scheme = UserFactory(email="ordning@example.no", language="nb")
    by_theme = UserFactory(email="tema@example.no", language="en")
    by_both = UserFactory(email="begge@example.no", language="nn")
    inactive = UserFactory(email="slutta@example.no", is_active=False)
    elsewhere = UserFactory(email="annen@example.no")
    watch_follow(user=by_scheme, scheme=scheme)
    watch_follow(user=by_theme, theme=theme)
    watch_follow(user=by_both, scheme=scheme)
    watch_follow(user=by_both, theme=theme)
    watch_follow(user=inactive, scheme=scheme)
    watch_follow(user=elsewhere, scheme=other_scheme)
    call = scheduled_call(scheme=scheme, slug="klima-2027", title="Klima 2027", title_en="Climate 2027")

    sweep_at(OPENS - timedelta(minutes=1), eager)  # nothing early
    assert (events(call), who_was_told(), len(mail.outbox)) == ([], [], 0)
    assert call.status(now=OPENS - timedelta(minutes=1)) == CallStatus.UPCOMING

    sweep_at(OPENS + timedelta(seconds=30), eager)
    assert events(call) == [("opened", OPENS)]
    assert who_was_told() == [("begge@example.no", "klima-2027"), ("ordning@example.no", "klima-2027"),
                              ("tema@example.no", "klima-2027")]  # fmt: skip
    sent = {m.to[0]: (m.subject, m.extra_headers["Content-Language"]) for m in mail.outbox}
    assert sent == {
        "ordning@example.no": ("Utlysningen «Klima 2027» er åpen", "nb"),
        "tema@example.no": ("The call «Climate 2027» is open", "en"),
        "begge@example.no": ("Utlysinga «Klima 2027» er open", "nn"),
    }
    assert "15.04.2027" in mail.outbox[0].body
    assert all(n.emailed_at for n in Notice.objects.all())

    # Reruns and later ticks change nothing.
    for minutes in (2, 3, 60):
        sweep_at(OPENS + timedelta(minutes=minutes), eager)
    assert len(mail.outbox) == 3 and Notice.objects.count() == 3

    sweep_at(CLOSES + timedelta(seconds=1), eager)  # the close runs CLOSE_GRACE after the deadline
    assert events(call) == [("opened", OPENS)]
    sweep_at(CLOSES + CLOSE_GRACE, eager)
    assert events(call) == [("closed", CLOSES), ("opened", OPENS)]
    assert len(mail.outbox) == 3
    assert set(ScheduledEffect.objects.values_list("state", flat=True)) == {"done"}


def test_a_call_reopened_later_does_not_tell_anyone_twice(eager):
    scheme = SchemeFactory()
    follower = UserFactory()
    watch_follow(user=follower, scheme=scheme)
    call = scheduled_call(scheme=scheme)
    sweep_at(OPENS + timedelta(minutes=1), eager)
    later = OPENS + timedelta(days=3)
    Call.objects.filter(pk=call.pk).update(opens_at=later)
    call.refresh_from_db()
    call_schedule(call=call)
    sweep_at(later + timedelta(minutes=1), eager)
    assert events(call) == [("opened", OPENS), ("opened", later)]  # bookkeeping of both openings
    assert (Notice.objects.count(), len(mail.outbox)) == (1, 1)  # once per person and call


def test_an_opening_caught_up_after_the_deadline_tells_nobody(eager):
    scheme = SchemeFactory()
    watch_follow(user=UserFactory(), scheme=scheme)
    call = scheduled_call(scheme=scheme)
    sweep_at(CLOSES + timedelta(days=1), eager)  # the scheduler was down for the whole call
    assert events(call) == [("closed", CLOSES), ("opened", OPENS)]
    assert (Notice.objects.count(), len(mail.outbox)) == (0, 0)


def test_a_failed_mail_rolls_back_the_notice_and_is_retried(eager, monkeypatch):
    scheme = SchemeFactory()
    watch_follow(user=UserFactory(email="en@example.no"), scheme=scheme)
    scheduled_call(scheme=scheme)
    calls = {"n": 0}

    def flaky_send(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("smtp down")
        mail.outbox.append(self)
        return 1

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", flaky_send)
    sweep_at(OPENS + timedelta(seconds=1), eager)
    row = ScheduledEffect.objects.get(kind="watch-notify")
    assert (row.state, row.failure_reason) == ("pending", "ConnectionRefusedError: smtp down")
    assert (Notice.objects.count(), len(mail.outbox)) == (0, 0)  # nothing half-done
    sweep_at(OPENS + timedelta(minutes=2), eager)
    assert (Notice.objects.count(), len(mail.outbox), calls["n"]) == (1, 1, 2)
