"""Reminders written in bulk and e-mailed in batches (``scheduling.notices``): one notice per person
and draft from one statement, one mail connection per batch, a failed batch retrying only what was
not sent, and nothing twice under reruns and retries (PostgreSQL and SQLite, eager tasks)."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organisations.models import Membership
from scheduling import notices
from scheduling.deadlines import draft_reminders_arm
from scheduling.engine import effects_sweep
from scheduling.models import Notice, ScheduledEffect
from scheduling.notices import NOTICE_MAIL, notice_mail_send
from scheduling.services import call_schedule
from tests.databases import using_database
from tests.factories import MembershipFactory, UserFactory, call_with_form, make_application
from tests.scheduling.helpers import CLOSES, OPENS

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])

SEVEN_DAYS_BEFORE = CLOSES - timedelta(days=7)


@pytest.fixture(params=["default", "sqlite"], ids=["postgresql", "sqlite"])
def database(request):
    assert connections[request.param].vendor == ("postgresql" if request.param == "default" else "sqlite")
    with using_database(request.param):
        yield request.param


@pytest.fixture
def five_drafts(private_storage):
    """Five organisations, each with one draft made by its ansvarlig (one reminder each); one
    ansvarlig writes in nynorsk, one has no e-mail address."""
    with time_machine.travel(OPENS + timedelta(days=1), tick=False):
        call = call_with_form(opens_at=OPENS, closes_at=CLOSES, title="Klima 2027")
        call_schedule(call=call)
        people = []
        for i in range(5):
            user = UserFactory(email=f"ans{i}@example.no", language="nn" if i == 1 else "nb")
            if i == 4:
                user.email = ""
                user.save(update_fields=["email"])
            membership = MembershipFactory(role=Membership.Role.ANSVARLIG, user=user)
            make_application(organisation=membership.organisation, call=call, by_user=user)
            people.append(user)
    ScheduledEffect.objects.filter(kind="application-receipt").delete()
    mail.outbox.clear()
    return call, people


class CountingBackend(EmailBackend):
    """locmem, counting the connections opened and failing once after ``fail_after`` messages."""

    opened = 0
    fail_after: int | None = None

    def open(self):
        CountingBackend.opened += 1
        return True

    def send_messages(self, messages):
        if CountingBackend.fail_after is not None and len(mail.outbox) >= CountingBackend.fail_after:
            CountingBackend.fail_after = None
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def counting_mailer(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.scheduling.test_notice_batches.CountingBackend"}}
    CountingBackend.opened, CountingBackend.fail_after = 0, None
    return CountingBackend


def arm_and_send(call, moment, eager, *, batch=2):
    with time_machine.travel(moment, tick=False), mock.patch.object(notices, "MAIL_BATCH", batch), eager():
        armed = draft_reminders_arm(call=call, stage=None, offset="7d")
    return armed


def sweep_at(moment, eager):
    with time_machine.travel(moment, tick=False), eager():
        effects_sweep()


def test_reminders_are_written_in_one_go_and_sent_over_one_connection_per_batch(
    database, five_drafts, eager, counting_mailer
):
    call, people = five_drafts
    assert arm_and_send(call, SEVEN_DAYS_BEFORE, eager) == 5  # five notices, three batches of at most two
    reminders = Notice.objects.filter(kind=Notice.Kind.DRAFT_REMINDER)
    assert sorted(reminders.values_list("user_id", flat=True)) == sorted(p.pk for p in people)
    assert ScheduledEffect.objects.filter(kind=NOTICE_MAIL).count() == 3
    assert set(ScheduledEffect.objects.filter(kind=NOTICE_MAIL).values_list("state", flat=True)) == {"done"}
    assert sorted(m.to[0] for m in mail.outbox) == [f"ans{i}@example.no" for i in range(4)]  # ans4: no address
    # One connection per batch with something to send (not one per message; none for a batch of ans4 alone).
    with_address = set(reminders.exclude(user__email="").values_list("pk", flat=True))
    batches = ScheduledEffect.objects.filter(kind=NOTICE_MAIL).values_list("payload", flat=True)
    assert counting_mailer.opened == sum(1 for b in batches if with_address & set(b["notices"])) >= 2
    nynorsk = next(m for m in mail.outbox if m.to == ["ans1@example.no"])
    assert nynorsk.extra_headers["Content-Language"] == "nn"
    assert "«Klima 2027»" in nynorsk.subject
    assert reminders.filter(emailed_at__isnull=False).count() == 4
    assert reminders.get(user=people[4]).emailed_at is None  # on Min side only

    # The reminder sweep again, and later sweeps: no notice and no e-mail twice.
    assert arm_and_send(call, SEVEN_DAYS_BEFORE + timedelta(minutes=1), eager) == 0
    for minutes in (2, 60):
        sweep_at(SEVEN_DAYS_BEFORE + timedelta(minutes=minutes), eager)
    assert (reminders.count(), len(mail.outbox)) == (5, 4)


def test_a_failed_batch_resends_only_what_was_not_sent(database, five_drafts, eager, counting_mailer):
    call, people = five_drafts
    counting_mailer.fail_after = 1  # the mail server drops the connection after the first message
    arm_and_send(call, SEVEN_DAYS_BEFORE, eager, batch=10)  # one batch of all five
    assert [m.to[0] for m in mail.outbox] == ["ans0@example.no"]
    reminders = Notice.objects.filter(kind=Notice.Kind.DRAFT_REMINDER)
    assert list(reminders.filter(emailed_at__isnull=False).values_list("user_id", flat=True)) == [people[0].pk]
    first, retry = ScheduledEffect.objects.filter(kind=NOTICE_MAIL).order_by("pk")
    assert first.state == "done" and len(first.payload["notices"]) == 5
    # The retry row holds only the unsent (ans4 has no address: skipped, not part of it).
    assert retry.state == "pending" and len(retry.payload["notices"]) == 3
    assert "SMTPServerDisconnected" in retry.failure_reason
    assert retry.due_at == SEVEN_DAYS_BEFORE + timedelta(minutes=1)  # the engine's backoff

    sweep_at(SEVEN_DAYS_BEFORE + timedelta(seconds=30), eager)  # not due yet
    assert len(mail.outbox) == 1
    sweep_at(SEVEN_DAYS_BEFORE + timedelta(minutes=1), eager)
    assert sorted(m.to[0] for m in mail.outbox) == [f"ans{i}@example.no" for i in range(4)]  # each exactly once
    assert reminders.filter(emailed_at__isnull=False).count() == 4
    for minutes in (2, 5, 60):
        sweep_at(SEVEN_DAYS_BEFORE + timedelta(minutes=minutes), eager)
    assert len(mail.outbox) == 4
    assert set(ScheduledEffect.objects.filter(kind=NOTICE_MAIL).values_list("state", flat=True)) == {"done"}


def test_a_batch_run_twice_sends_nothing_twice_and_skips_submitted_drafts(database, five_drafts, eager):
    call, _people = five_drafts
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False), mock.patch("scheduling.tasks.sweep.apply_async"):
        draft_reminders_arm(call=call, stage=None, offset="7d")
    batch = ScheduledEffect.objects.get(kind=NOTICE_MAIL)
    # One of the drafts was withdrawn between the notice and the e-mail: no reminder mail for it.
    withdrawn = Notice.objects.get(user__email="ans2@example.no").application
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(state="trukket")
    now = SEVEN_DAYS_BEFORE + timedelta(seconds=5)
    with CaptureQueriesContext(connections[database]) as queries:
        first = notice_mail_send(effect=batch, now=now)
    # However many notices: theirs with the people, the applications, the calls, the update (no stages here).
    assert len(queries.captured_queries) == 4, [q["sql"] for q in queries.captured_queries]
    again = notice_mail_send(effect=batch, now=now)  # e.g. a redelivered batch outside the engine's guard
    assert (first.sent, first.skipped, again.sent) == (3, 2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["ans0@example.no", "ans1@example.no", "ans3@example.no"]


def test_the_last_failed_attempt_leaves_only_the_rest_failed_for_an_officers_retry(
    database, five_drafts, eager, counting_mailer, settings
):
    call, _people = five_drafts
    settings.SCHEDULING_MAX_ATTEMPTS = 1
    counting_mailer.fail_after = 2
    arm_and_send(call, SEVEN_DAYS_BEFORE, eager, batch=10)
    rest = ScheduledEffect.objects.filter(kind=NOTICE_MAIL).order_by("pk").last()
    assert (rest.state, len(rest.payload["notices"]), len(mail.outbox)) == ("failed", 2, 2)
    assert timezone.is_aware(rest.failed_at)


class Received:
    """An aiosmtpd handler keeping what it received: (envelope recipients, message bytes); it
    offers PIPELINING when asked to (as ``tests.bench.smtp_sink`` does)."""

    def __init__(self, pipelining: bool):
        self.messages, self.pipelining, self.refuse = [], pipelining, set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return [*responses[:-1], "250-PIPELINING", responses[-1]] if self.pipelining else responses

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.original_content or envelope.content))
        return "250 OK"


@pytest.fixture(params=[False, True], ids=["one-by-one", "pipelining"])
def smtp_server(settings, request):
    """A real SMTP server (aiosmtpd, in a thread) and the portal's mailer pointed at it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Received(pipelining=request.param)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10}}}  # fmt: skip
    yield handler
    controller.stop()


def test_over_smtp_each_message_parses_with_its_own_subject_to_body_and_the_headers_django_sets(
    five_drafts, eager, smtp_server
):
    import email
    import email.policy

    call, people = five_drafts
    Organisation = type(people[0].memberships.first().organisation)
    Organisation.objects.filter(memberships__user=people[3]).update(name="Ærfugl & Øvre Åsen AS")
    arm_and_send(call, SEVEN_DAYS_BEFORE, eager, batch=10)
    assert sorted(rcpt[0] for rcpt, _raw in smtp_server.messages) == [f"ans{i}@example.no" for i in range(4)]
    parsed = {rcpt[0]: email.message_from_bytes(raw, policy=email.policy.default) for rcpt, raw in smtp_server.messages}
    ids = set()
    for address, message in parsed.items():
        assert message["To"] == address
        assert message["From"] == "Innovasjonsportalen <ikke-svar@innovasjonsportalen.localhost>"
        assert (message["MIME-Version"], message.get_content_type(), message.get_content_charset()) == (
            "1.0", "text/plain", "utf-8")  # fmt: skip
        assert message["Date"].datetime.tzinfo is not None
        assert message["Content-Transfer-Encoding"] == "base64"  # the prebuilt bytes (Django's: quoted-printable)
        ids.add(message["Message-ID"])
        notice = Notice.objects.select_related("application__organisation").get(user__email=address)
        body = message.get_content()
        assert f"«{notice.application}» fr" in body and f" {notice.application.organisation.name} til " in body
        assert f"/{notice.application_id}/" in body or "/min-side/" in body
    assert len(ids) == 4  # one Message-ID each
    bokmaal, nynorsk = parsed["ans0@example.no"], parsed["ans1@example.no"]
    assert bokmaal["Subject"] == "Påminnelse: søknaden til «Klima 2027» er ikke sendt inn"
    assert (bokmaal["Content-Language"], nynorsk["Content-Language"]) == ("nb", "nn")
    assert nynorsk["Subject"] != bokmaal["Subject"] and "«Klima 2027»" in nynorsk["Subject"]
    assert "Ærfugl & Øvre Åsen AS" in parsed["ans3@example.no"].get_content()
    assert Notice.objects.filter(emailed_at__isnull=False).count() == 4


def test_a_recipient_the_server_refuses_stops_the_batch_there_and_the_rest_is_retried(five_drafts, eager, smtp_server):
    call, _people = five_drafts
    smtp_server.refuse = {"ans1@example.no"}
    arm_and_send(call, SEVEN_DAYS_BEFORE, eager, batch=10)
    assert [rcpt for rcpt, _raw in smtp_server.messages] == [["ans0@example.no"]]
    retry = ScheduledEffect.objects.filter(kind=NOTICE_MAIL).order_by("pk").last()
    assert len(retry.payload["notices"]) == 3 and "SMTPRecipientsRefused" in retry.failure_reason
    smtp_server.refuse = set()  # the mailbox exists again
    sweep_at(SEVEN_DAYS_BEFORE + timedelta(minutes=1), eager)
    assert sorted(rcpt[0] for rcpt, _raw in smtp_server.messages) == [f"ans{i}@example.no" for i in range(4)]
