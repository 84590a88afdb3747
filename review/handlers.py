"""Scheduler handlers for review's e-mails and the offer's lapse. Thin: fetch, then call one service."""

from applications.notifications import active_user
from scheduling.models import ScheduledEffect
from scheduling.registry import register

from .deadlines import (
    NOTICE_MAIL,
    OFFER_REMINDER,
    REVIEW_OVERDUE,
    REVIEW_REMINDER,
    notice_mail_send,
    offer_reminder_due,
    review_overdue_due,
    review_reminder_due,
)
from .models import Decision, ReviewAssignment
from .notifications import (
    CONFLICT_NOTICE,
    DECISION_LETTER,
    OFFER_LAPSE,
    conflict_notice_send,
    decision_letter_send,
)
from .reports import REPORT_OVERDUE, REPORT_REMINDER, report_overdue_due, report_reminder_due
from .services import offer_lapse


@register(DECISION_LETTER)
def handle_decision_letter(effect: ScheduledEffect) -> None:
    decision = (
        Decision.objects.select_related("application__call__scheme", "application__organisation")
        .filter(pk=effect.payload["decision"], cancelled_at__isnull=True)
        .first()
    )
    user = active_user(effect.payload["user"])
    still_member = user is not None and user.memberships.filter(
        organisation_id=decision.application.organisation_id if decision else None).exists()  # fmt: skip
    if decision and decision.confirmed_at and user and user.email and still_member:
        decision_letter_send(decision=decision, user=user)


@register(CONFLICT_NOTICE)
def handle_conflict_notice(effect: ScheduledEffect) -> None:
    assignment = (
        ReviewAssignment.objects.select_related("application__call", "reviewer")
        .filter(pk=effect.payload["assignment"])
        .first()
    )
    user = active_user(effect.payload["user"])
    if assignment and user and user.email:
        conflict_notice_send(assignment=assignment, user=user)


@register(OFFER_LAPSE)
def handle_offer_lapse(effect: ScheduledEffect) -> None:
    if effect.target_id:
        offer_lapse(application_id=effect.target_id)


# --- Deadlines (review/deadlines.py) ------------------------------------------------------------------
@register(REVIEW_REMINDER)
def handle_review_reminder(effect: ScheduledEffect) -> None:
    review_reminder_due(assignment_id=effect.target_id)


@register(REVIEW_OVERDUE)
def handle_review_overdue(effect: ScheduledEffect) -> None:
    review_overdue_due(assignment_id=effect.target_id)


@register(OFFER_REMINDER)
def handle_offer_reminder(effect: ScheduledEffect) -> None:
    offer_reminder_due(offer_id=effect.target_id, offset=effect.payload.get("offset", ""))


@register(NOTICE_MAIL)
def handle_notice_mail(effect: ScheduledEffect) -> None:
    user = active_user(effect.payload["user"])
    if user is not None:
        notice_mail_send(effect=effect, user=user)


# --- Project reports (review/reports.py) -------------------------------------------------------------
@register(REPORT_REMINDER)
def handle_report_reminder(effect: ScheduledEffect) -> None:
    report_reminder_due(report_id=effect.target_id, offset=effect.payload.get("offset", ""))


@register(REPORT_OVERDUE)
def handle_report_overdue(effect: ScheduledEffect) -> None:
    report_overdue_due(report_id=effect.target_id)
