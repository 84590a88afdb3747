"""Reads for project reports: the applicant's list, and the officers' list of reports that are
late or soon due in the schemes they handle."""

from datetime import date, timedelta

from django.utils import timezone

from accounts.permissions import staff_access
from applications.models import Application, ExpectedBenefit
from applications.workflow import State

from .models import ProjectReport

UPCOMING_DAYS = 60


def application_reports(*, application: Application) -> list[ProjectReport]:
    return list(ProjectReport.objects.filter(application=application).select_related("file").order_by("due_date", "pk"))


def reports_for_officer(*, user, today: date | None = None) -> dict[str, list[ProjectReport]]:
    """Reports not yet in, of projects in reporting in the schemes ``user`` handles: ``overdue``
    (due date passed, oldest first) and ``upcoming`` (due within ``UPCOMING_DAYS``)."""
    today = today or timezone.localdate()
    access = staff_access(user)
    reports = ProjectReport.objects.filter(
        submitted_at__isnull=True,
        application__state=State.IN_REPORTING,
        due_date__lte=today + timedelta(days=UPCOMING_DAYS),
    )
    if not access.all_schemes:
        reports = reports.filter(application__call__scheme_id__in=access.handled_scheme_ids)
    rows = list(
        reports.select_related("application__organisation")
        .only("kind", "due_date", "application__reference", "application__title", "application__organisation__name")
        .order_by("due_date", "pk")
    )
    for report in rows:
        report.days_overdue = (today - report.due_date).days
    return {"overdue": [r for r in rows if r.days_overdue > 0], "upcoming": [r for r in rows if r.days_overdue <= 0]}


def benefits_for_officer(*, user, today: date | None = None) -> dict[str, list]:
    """In the schemes ``user`` handles: ``overdue`` benefits reports (in reporting, not in, due date
    passed, oldest first) and ``missing`` benefits (expected benefits whose date to reach the target
    has passed, of projects in reporting or completed, with no realised value reported yet)."""
    today = today or timezone.localdate()
    access = staff_access(user)
    reports = ProjectReport.objects.filter(
        kind=ProjectReport.Kind.BENEFITS, submitted_at__isnull=True,
        application__state=State.IN_REPORTING, due_date__lt=today,
    )  # fmt: skip
    benefits = ExpectedBenefit.objects.filter(
        due_on__lt=today, application__state__in=[State.IN_REPORTING, State.COMPLETED], realisations__isnull=True
    )
    if not access.all_schemes:
        reports = reports.filter(application__call__scheme_id__in=access.handled_scheme_ids)
        benefits = benefits.filter(application__call__scheme_id__in=access.handled_scheme_ids)
    overdue = list(
        reports.select_related("application__organisation")
        .only("kind", "due_date", "application__reference", "application__title", "application__organisation__name")
        .order_by("due_date", "pk")
    )
    for report in overdue:
        report.days_overdue = (today - report.due_date).days
    missing = list(
        benefits.select_related("application__organisation")
        .only("kind", "indicator", "target", "due_on", "application__reference", "application__organisation__name")
        .order_by("due_on", "pk")
    )
    return {"overdue": overdue, "missing": missing}
