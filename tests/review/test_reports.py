"""Reports on funded projects: due dates from the project's start and duration, the project in
reporting once the offer is accepted, reminders to the ansvarlige and the officers told when a
report is late — each once, none after the report is in — and the delivery itself."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.errors import ApplicationError
from applications.models import Application, ApplicationEvent, EventKind
from applications.workflow import State
from attachments.errors import UploadRejected
from organisations.models import Membership
from review.models import Outcome, ProjectReport
from review.reports import ProjectPeriod, add_months, project_period, report_dates, report_submit
from review.services import decision_confirm, decision_prepare, offer_answer
from scheduling.engine import effects_sweep
from scheduling.models import Notice, ScheduledEffect
from tests.attachments.files import pdf_bytes
from tests.factories import MembershipFactory
from tests.review.test_review_services import assessed

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
P, F, B = ProjectReport.Kind.PROGRESS, ProjectReport.Kind.FINAL, ProjectReport.Kind.BENEFITS
PDF = pdf_bytes()


def funded(call_world, *, start="2030-02-01", months=24, accepted=datetime(2030, 1, 10, 10, tzinfo=OSLO)):
    """An application whose offer the ansvarlig accepted at ``accepted``; the form's answers say
    the project starts ``start`` and runs ``months`` months (None: the question unanswered)."""
    application = assessed(call_world)
    answers = {**application.answers, "startdato": start, "varighet": None if months is None else str(months)}
    Application.objects.filter(pk=application.pk).update(answers=answers)
    first, second = call_world["officers"]
    with time_machine.travel(accepted, tick=False):
        decision = decision_prepare(application_id=application.pk, by_user=first, outcome=Outcome.APPROVE,
                                    granted_amount=Decimal(100_000))  # fmt: skip
        decision_confirm(decision_id=decision.pk, by_user=second)
        offer_answer(application_id=application.pk, by_user=application.ansvarlig, accept=True)
    ansvarlig = application.ansvarlig
    application.refresh_from_db()
    application.ansvarlig = ansvarlig
    return application


def dues(application):
    return list(ProjectReport.objects.filter(application=application).values_list("kind", "due_date"))


# --- The schedule ---------------------------------------------------------------------------------
def test_months_are_added_calendar_wise_and_clamped_to_the_month_s_end():
    assert add_months(date(2030, 1, 31), 1) == date(2030, 2, 28)
    assert add_months(date(2032, 1, 31), 1) == date(2032, 2, 29)
    assert add_months(date(2030, 11, 15), 2) == date(2031, 1, 15)
    assert add_months(date(2030, 3, 1), -3) == date(2029, 12, 1)


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        # 12 months: the first progress date is the end itself (in the last 3 months): none.
        (12, [(F, date(2031, 5, 1)), (B, date(2032, 3, 1))]),
        # 14: month 12 is within the last three months (after month 11): none.
        (14, [(F, date(2031, 7, 1)), (B, date(2032, 5, 1))]),
        # 15: month 12 is exactly three months before the end: still due.
        (15, [(P, date(2031, 3, 1)), (F, date(2031, 8, 1)), (B, date(2032, 6, 1))]),
        (36, [(P, date(2031, 3, 1)), (P, date(2032, 3, 1)), (F, date(2033, 5, 1)), (B, date(2034, 3, 1))]),
    ],
)
def test_progress_every_twelve_months_but_not_in_the_last_three_then_final_and_benefits(months, expected):
    assert report_dates(ProjectPeriod(start=date(2030, 3, 1), months=months)) == expected


def test_the_period_falls_back_to_the_acceptance_day_and_twelve_months():
    accepted_on = date(2030, 1, 10)
    application = Application(answers={"startdato": "2030-05-01", "varighet": 18})
    assert project_period(application, accepted_on=accepted_on) == ProjectPeriod(date(2030, 5, 1), 18)
    for answers in ({}, {"startdato": None, "varighet": None}, {"startdato": "ikke en dato", "varighet": "-3"}):
        assert project_period(Application(answers=answers), accepted_on=accepted_on) == ProjectPeriod(accepted_on, 12)


def test_accepting_the_offer_schedules_the_reports_and_starts_reporting(call_world):
    application = funded(call_world, start="2030-02-01", months=24)
    assert application.state == State.IN_REPORTING
    assert dues(application) == [(P, date(2031, 2, 1)), (F, date(2032, 4, 1)), (B, date(2033, 2, 1))]
    keys = set(ScheduledEffect.objects.filter(kind__startswith="report-").values_list("key", flat=True))
    assert len(keys) == 3 * 3  # each report: two reminders and the overdue row
    moved = ApplicationEvent.objects.filter(application=application, kind=EventKind.STATE_CHANGED).last()
    assert (moved.to_state, moved.actor_id, moved.data["months"]) == (State.IN_REPORTING, None, 24)


def test_a_declined_offer_owes_no_reports(call_world):
    application = assessed(call_world)
    first, second = call_world["officers"]
    decision = decision_prepare(application_id=application.pk, by_user=first, outcome=Outcome.APPROVE,
                                granted_amount=Decimal(100_000))  # fmt: skip
    decision_confirm(decision_id=decision.pk, by_user=second)
    offer_answer(application_id=application.pk, by_user=application.ansvarlig, accept=False, comment="Nei takk")
    assert dues(application) == []


# --- Through the clock ----------------------------------------------------------------------------
def sweep_at(moment, eager):
    with time_machine.travel(moment, tick=False), eager():
        effects_sweep()


def notices(kind):
    return sorted(
        (n.user.email, int(n.key.split(":")[1]), n.key.split(":")[2] if kind == Notice.Kind.REPORT_REMINDER else "")
        for n in Notice.objects.filter(kind=kind).select_related("user")
    )


def test_reminders_and_the_overdue_notice_each_once_and_none_after_the_report_is_in(call_world, eager):
    punctual, silent = funded(call_world), funded(call_world)
    second_ansvarlig = MembershipFactory(organisation=silent.organisation, role=Membership.Role.ANSVARLIG).user
    MembershipFactory(organisation=silent.organisation, role=Membership.Role.MEMBER)  # a member: not reminded
    on_time = ProjectReport.objects.get(application=punctual, kind=P)
    late = ProjectReport.objects.get(application=silent, kind=P)
    assert late.due_date == date(2031, 2, 1)  # a Saturday: the overdue notice comes Monday 3 February
    ScheduledEffect.objects.exclude(kind__startswith="report-").delete()  # receipts, letters: not counted here
    mail.outbox.clear()

    sweep_at(datetime(2031, 1, 18, 8, 59, tzinfo=OSLO), eager)  # not yet
    assert notices(Notice.Kind.REPORT_REMINDER) == []
    sweep_at(datetime(2031, 1, 18, 9, 0, tzinfo=OSLO), eager)
    sweep_at(datetime(2031, 1, 18, 9, 5, tzinfo=OSLO), eager)  # a later tick: nothing twice
    assert notices(Notice.Kind.REPORT_REMINDER) == sorted([
        (punctual.ansvarlig.email, on_time.pk, "14d"), (silent.ansvarlig.email, late.pk, "14d"),
        (second_ansvarlig.email, late.pk, "14d"),
    ])  # fmt: skip
    assert sorted(m.to[0] for m in mail.outbox) == sorted([punctual.ansvarlig.email, silent.ansvarlig.email,
                                                           second_ansvarlig.email])  # fmt: skip
    assert "01.02.2031" in mail.outbox[0].body and "Framdriftsrapport" in mail.outbox[0].body

    with time_machine.travel(datetime(2031, 1, 25, 12, tzinfo=OSLO), tick=False):
        report_submit(report_id=on_time.pk, by_user=punctual.ansvarlig, text="Alt går etter planen.")
    mail.outbox.clear()
    sweep_at(datetime(2031, 1, 31, 9, 0, tzinfo=OSLO), eager)
    sweep_at(datetime(2031, 1, 31, 9, 1, tzinfo=OSLO), eager)
    one_day = [row for row in notices(Notice.Kind.REPORT_REMINDER) if row[2] == "1d"]
    assert one_day == sorted([(silent.ansvarlig.email, late.pk, "1d"), (second_ansvarlig.email, late.pk, "1d")])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([silent.ansvarlig.email, second_ansvarlig.email])

    mail.outbox.clear()
    sweep_at(datetime(2031, 2, 2, 23, 59, tzinfo=OSLO), eager)  # Sunday: not a working day
    assert notices(Notice.Kind.REPORT_OVERDUE) == []
    sweep_at(datetime(2031, 2, 3, 8, 0, tzinfo=OSLO), eager)
    sweep_at(datetime(2031, 2, 3, 9, 0, tzinfo=OSLO), eager)
    officers = sorted(o.email for o in call_world["officers"])
    assert notices(Notice.Kind.REPORT_OVERDUE) == [(email, late.pk, "") for email in officers]  # not the punctual
    assert sorted(m.to[0] for m in mail.outbox) == officers
    assert "01.02.2031" in mail.outbox[0].body


def test_a_reminder_armed_before_the_report_was_in_sends_nothing_when_it_runs(call_world, eager):
    application = funded(call_world)
    report = ProjectReport.objects.get(application=application, kind=P)
    ScheduledEffect.objects.exclude(kind__startswith="report-").delete()
    sweep_at(datetime(2031, 1, 18, 9, 0, tzinfo=OSLO), eager)  # the notices and their e-mail batch exist now
    Notice.objects.update(emailed_at=None)
    ScheduledEffect.objects.filter(kind="notice-mail").update(state="pending")  # as if the batch had not run yet
    report_submit(report_id=report.pk, by_user=application.ansvarlig, text="Levert")
    mail.outbox.clear()
    sweep_at(datetime(2031, 1, 18, 9, 10, tzinfo=OSLO), eager)
    assert mail.outbox == [] and not Notice.objects.filter(emailed_at__isnull=False).exists()


# --- Delivery -------------------------------------------------------------------------------------
def test_a_member_delivers_once_with_a_file_and_the_timeline_says_so(call_world, private_storage):
    application = funded(call_world)
    member = MembershipFactory(organisation=application.organisation, role=Membership.Role.MEMBER).user
    report = ProjectReport.objects.get(application=application, kind=P)
    upload = SimpleUploadedFile("rapport.pdf", PDF, content_type="application/pdf")
    report_submit(report_id=report.pk, by_user=member, text="  Framdrift  ", uploaded_file=upload)
    report.refresh_from_db()
    assert (report.text, report.submitted_by, report.file.display_name) == ("Framdrift", member, "rapport.pdf")
    event = ApplicationEvent.objects.get(application=application, kind=EventKind.REPORT_SUBMITTED)
    assert (event.actor, event.data["report"], event.internal) == (member, report.pk, False)
    with pytest.raises(ApplicationError) as again:
        report_submit(report_id=report.pk, by_user=member, text="På nytt")
    assert again.value.code == "submitted"


def test_refused_deliveries_write_nothing(call_world, private_storage):
    application = funded(call_world)
    report = ProjectReport.objects.get(application=application, kind=F)
    outsider = MembershipFactory(role=Membership.Role.ANSVARLIG).user
    refusals = [
        ({"by_user": outsider, "text": "Tekst"}, "forbidden"),
        ({"by_user": call_world["officers"][0], "text": "Tekst"}, "forbidden"),
        ({"by_user": application.ansvarlig, "text": "   "}, "empty"),
    ]
    for kwargs, code in refusals:
        with pytest.raises(ApplicationError) as refused:
            report_submit(report_id=report.pk, **kwargs)
        assert refused.value.code == code
    exe = SimpleUploadedFile("rapport.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(UploadRejected):
        report_submit(report_id=report.pk, by_user=application.ansvarlig, text="Tekst", uploaded_file=exe)
    report.refresh_from_db()
    assert report.submitted_at is None and report.text == "" and report.file is None
    assert not ApplicationEvent.objects.filter(application=application, kind=EventKind.REPORT_SUBMITTED).exists()
    report_submit(report_id=report.pk, by_user=application.ansvarlig, text="Tekst")  # the same, allowed
    Application.objects.filter(pk=application.pk).update(state=State.COMPLETED)
    benefits = ProjectReport.objects.get(application=application, kind=B)
    with pytest.raises(ApplicationError) as closed:
        report_submit(report_id=benefits.pk, by_user=application.ansvarlig, text="Tekst")
    assert closed.value.code == "state"


def test_a_completed_project_is_not_reminded_any_more(call_world, eager):
    application = funded(call_world)
    ScheduledEffect.objects.exclude(kind__startswith="report-").delete()
    Application.objects.filter(pk=application.pk).update(state=State.COMPLETED)  # the officer closed it early
    mail.outbox.clear()
    for moment in (datetime(2031, 1, 18, 9, tzinfo=OSLO), datetime(2031, 2, 3, 8, tzinfo=OSLO)):
        sweep_at(moment, eager)
    assert Notice.objects.count() == 0 and mail.outbox == []
