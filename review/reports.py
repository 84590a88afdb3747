"""Reports on funded projects: when the ansvarlig accepts the offer, the project's reports are
set from its start and duration, and each arms its deadlines in the scheduler (the rows of
``review.deadlines``' kind: armed with the cause, checked again when they run, a notice once per
person written in one statement and e-mailed in batches, ``scheduling.notices``).

- The project runs from the answer «startdato» (the acceptance day if missing) for «varighet»
  months (12 if missing). A progress report is due every 12 months from the start while the
  project runs, but not in its last 3 months; the final report 2 months after the end; the
  benefits report 12 months after the end.
- The ansvarlige are reminded 14 days and 1 day before a due date, at 09:00, while the report is
  not in; the officers of the scheme are told at 08:00 on the first working day after it.
- Once final and benefits reports are in, nothing happens by itself: the officer completes the
  project (transition COMPLETE).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.errors import ApplicationError
from applications.models import Application, EventKind
from applications.workflow import START_REPORTING, State
from scheduling.engine import effect_arm
from scheduling.models import Notice

from .deadlines import _notices_arm, ansvarlige, oslo, overdue_moment
from .models import ProjectReport, RealisedBenefit

REPORT_REMINDER, REPORT_OVERDUE = "report-reminder", "report-overdue"
REPORT_REMINDER_OFFSETS = {"14d": timedelta(days=14), "1d": timedelta(days=1)}
START_QUESTION, DURATION_QUESTION = "startdato", "varighet"
DEFAULT_MONTHS, PROGRESS_EVERY_MONTHS, NO_PROGRESS_LAST_MONTHS = 12, 12, 3
FINAL_AFTER_MONTHS, BENEFITS_AFTER_MONTHS = 2, 12
REPORT_FILE_KINDS, REPORT_FILE_MAX_BYTES = ("pdf", "docx"), 20 * 1024 * 1024


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if it has fewer (31.01 + 1 → 28/29.02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ProjectPeriod:
    start: date
    months: int

    @property
    def end(self) -> date:
        return add_months(self.start, self.months)


def project_period(application: Application, *, accepted_on: date) -> ProjectPeriod:
    answers = application.answers or {}
    try:
        start = date.fromisoformat(answers.get(START_QUESTION) or "")
    except (TypeError, ValueError):
        start = accepted_on
    try:
        months = int(answers.get(DURATION_QUESTION))
    except (TypeError, ValueError):
        months = DEFAULT_MONTHS
    return ProjectPeriod(start=start, months=months if months > 0 else DEFAULT_MONTHS)


def report_dates(period: ProjectPeriod) -> list[tuple[str, date]]:
    """(kind, due date) of every report the project owes, in date order."""
    last_progress = add_months(period.end, -NO_PROGRESS_LAST_MONTHS)
    dues = []
    n = 1
    while (due := add_months(period.start, n * PROGRESS_EVERY_MONTHS)) <= last_progress:
        dues.append((ProjectReport.Kind.PROGRESS, due))
        n += 1
    dues.append((ProjectReport.Kind.FINAL, add_months(period.end, FINAL_AFTER_MONTHS)))
    dues.append((ProjectReport.Kind.BENEFITS, add_months(period.end, BENEFITS_AFTER_MONTHS)))
    return dues


def reports_schedule(*, application: Application, now: datetime | None = None) -> list[ProjectReport]:
    """Create the reports and arm their deadlines, and move the project to reporting
    (ACCEPTED → IN_REPORTING). Call inside the transaction that accepted the offer, with the
    application row locked (``offer_answer`` does). A rerun creates and arms nothing twice."""
    from applications.services import application_transition

    now = now or timezone.now()
    period = project_period(application, accepted_on=timezone.localdate(now))
    reports = []
    for kind, due in report_dates(period):
        report, _created = ProjectReport.objects.get_or_create(application=application, kind=kind, due_date=due)
        report_deadlines_arm(report=report, now=now)
        reports.append(report)
    if application.state == State.ACCEPTED:
        application_transition(application_id=application.pk, name=START_REPORTING, by_user=None, now=now,
                               data={"start": period.start.isoformat(), "months": period.months})  # fmt: skip
    return reports


def report_deadlines_arm(*, report: ProjectReport, now: datetime) -> None:
    for label, before in REPORT_REMINDER_OFFSETS.items():
        moment = oslo(report.due_date - before, 9)
        if moment > now:
            effect_arm(kind=REPORT_REMINDER, key=f"{REPORT_REMINDER}:{report.pk}:{label}", target_type="report",
                       target_id=report.pk, due_at=moment, payload={"offset": label})  # fmt: skip
    effect_arm(kind=REPORT_OVERDUE, key=f"{REPORT_OVERDUE}:{report.pk}", target_type="report",
               target_id=report.pk, due_at=overdue_moment(report.due_date))  # fmt: skip


# --- Run by the scheduler (review/handlers.py) ------------------------------------------------------
def _open_report(pk: int) -> ProjectReport | None:
    report = ProjectReport.objects.select_related("application__call__scheme").filter(pk=pk).first()
    if report is None or report.submitted_at or report.application.state != State.IN_REPORTING:
        return None
    return report


def report_still_open(pk: int) -> bool:
    return _open_report(pk) is not None


def _data(report: ProjectReport) -> dict:
    return {"due": report.due_date.isoformat(), "report": report.pk, "kind": report.kind}


def report_reminder_due(*, report_id: int, offset: str) -> int:
    report = _open_report(report_id)
    if report is None:
        return 0
    return _notices_arm(ansvarlige(report.application.organisation_id), kind=Notice.Kind.REPORT_REMINDER,
                        cause=f"{REPORT_REMINDER}:{report.pk}:{offset}", application_id=report.application_id,
                        data={**_data(report), "offset": offset})  # fmt: skip


def report_overdue_due(*, report_id: int) -> int:
    from .notifications import _officer_ids

    report = _open_report(report_id)
    if report is None:
        return 0
    return _notices_arm(
        _officer_ids(report.application),
        kind=Notice.Kind.REPORT_OVERDUE,
        cause=f"{REPORT_OVERDUE}:{report.pk}",
        application_id=report.application_id,
        data=_data(report),
    )


# --- The applicant delivers -------------------------------------------------------------------------
def report_submit(
    *,
    report_id: int,
    by_user,
    text: str,
    uploaded_file=None,
    realised: dict[int, tuple[str, str]] | None = None,
    now: datetime | None = None,
) -> ProjectReport:
    """A member of the applicant (ansvarlig or member) delivers a report, once; a benefits report
    with ``realised`` (expected benefit id → (realised value, comment)) for the application's
    expected benefits. Raises
    ``ApplicationError`` (forbidden, state, submitted, empty) or ``attachments.errors.UploadRejected``
    (the file); nothing is written then."""
    from applications.permissions import is_applicant_member
    from applications.services.common import event_record, lock_application
    from attachments.services import file_store

    now = now or timezone.now()
    text = (text or "").strip()
    application_id = ProjectReport.objects.values_list("application_id", flat=True).get(pk=report_id)
    with transaction.atomic():
        application = lock_application(application_id)
        report = ProjectReport.objects.select_for_update().get(pk=report_id)
        if not is_applicant_member(by_user, application):
            raise ApplicationError(_("Bare medlemmer av søkerorganisasjonen kan levere rapporter."), code="forbidden")
        if report.submitted_at:
            raise ApplicationError(_("Rapporten er allerede levert."), code="submitted")
        if application.state != State.IN_REPORTING:
            raise ApplicationError(_("Prosjektet er ikke i rapportering."), code="state")
        if not text:
            raise ApplicationError(_("Skriv rapporten."), code="empty")
        if uploaded_file is not None:
            report.file = file_store(uploaded_file=uploaded_file, allowed=REPORT_FILE_KINDS,
                                     max_bytes=REPORT_FILE_MAX_BYTES, by_user=by_user)  # fmt: skip
        report.text, report.submitted_at, report.submitted_by = text, now, by_user
        report.full_clean()
        report.save(update_fields=["text", "submitted_at", "submitted_by", "file"])
        _realised_save(report, application, realised or {})
        event_record(application, EventKind.REPORT_SUBMITTED, actor=by_user, at=now,
                     data={"report": report.pk, "kind": report.kind, "due": report.due_date.isoformat()})  # fmt: skip
    return report


def _realised_save(report: ProjectReport, application: Application, realised: dict[int, tuple[str, str]]) -> None:
    """The realised value of each of the application's expected benefits the report states (ids of
    another application's benefits are ignored); a value is required for each on a benefits report."""
    expected = set(application.benefits.values_list("pk", flat=True))
    if report.kind == ProjectReport.Kind.BENEFITS and expected - {pk for pk, (v, _c) in realised.items() if v.strip()}:
        raise ApplicationError(_("Skriv hva som er oppnådd for hver gevinst."), code="benefits")
    rows = [RealisedBenefit(report=report, benefit_id=pk, value=value.strip()[:100], comment=(comment or "").strip())
            for pk, (value, comment) in realised.items() if pk in expected and value.strip()]  # fmt: skip
    RealisedBenefit.objects.bulk_create(rows)
