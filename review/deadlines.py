"""The review's deadlines, driven by the scheduler (``scheduling``): rows armed when the cause is
written (an assignment, an offer), each checked again when it runs, so nothing is sent about what
was done in the meantime, and nothing twice (one ``Notice`` key per person and cause).

- A reviewer is reminded ``REVIEW_REMINDER_WORKING_DAYS`` Norwegian working days before the
  assignment's due date, at 09:00, while the review is still open.
- The officers handling the scheme are told the morning after the due date (08:00 on the next
  working day) when the review is still not delivered.
- The applicant's ansvarlige are reminded 7 days and 1 day before an offer's answer deadline; the
  offer lapses at the deadline (``review.services.offer_lapse``).

Steps that can no longer do anything are cancelled in the transaction of the event that makes them
moot, so the officers' planner shows them as cancelled, not waiting: an assignment's reminder and
overdue notice when its reviewer declares a conflict or delivers, or the application is decided or
withdrawn; an offer's reminders and its lapse once it is accepted, declined or lapsed. (After
«Vurdering ferdig» the rows stay: «Tilbake til fagvurdering» may make them matter again, and each
checks the review is still open when it runs.)
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, F, Value
from django.urls import reverse
from django.utils import timezone

from applications.services.transitions import on_transition
from applications.workflow import (
    ACCEPT_OFFER,
    DECIDE_APPROVE,
    DECIDE_REJECT,
    DECIDE_WAITLIST,
    DECLINE_OFFER,
    LAPSE_OFFER,
    WITHDRAW,
    State,
)
from organisations.models import Membership
from portal.emails import send_templated_email
from portal.publish import publish_on_commit
from portal.workdays import add_working_days, is_working_day
from scheduling.engine import effect_arm, effects_arm_many, effects_cancel
from scheduling.models import Notice, ScheduledEffect
from scheduling.notices import NoticeMail, notice_mail_arm, notice_mail_register, notices_insert

from .models import AssignmentState, Offer, ReviewAssignment

REVIEW_REMINDER, REVIEW_OVERDUE, OFFER_REMINDER = "review-reminder", "review-overdue", "offer-reminder"
NOTICE_MAIL = "review-notice"
REVIEW_REMINDER_WORKING_DAYS = 2
OFFER_REMINDER_OFFSETS = {"7d": timedelta(days=7), "1d": timedelta(days=1)}
OPEN_ASSIGNMENT = (AssignmentState.AWAITING_DECLARATION, AssignmentState.ACTIVE)


def oslo(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def reminder_moment(due: date) -> datetime:
    return oslo(add_working_days(due, -REVIEW_REMINDER_WORKING_DAYS), 9)


def overdue_moment(due: date) -> datetime:
    day = due + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return oslo(day, 8)


def assignment_deadlines_arm(*, assignment: ReviewAssignment) -> None:
    """Inside the transaction that made the assignment: its two rows in one insert (bulk
    assignment makes many)."""
    effects_arm_many(rows=[
        ScheduledEffect(kind=REVIEW_REMINDER, key=f"{REVIEW_REMINDER}:{assignment.pk}", target_type="assignment",
                        target_id=assignment.pk, due_at=reminder_moment(assignment.due_date)),
        ScheduledEffect(kind=REVIEW_OVERDUE, key=f"{REVIEW_OVERDUE}:{assignment.pk}", target_type="assignment",
                        target_id=assignment.pk, due_at=overdue_moment(assignment.due_date)),
    ])  # fmt: skip


def offer_reminders_arm(*, offer: Offer) -> None:
    now = timezone.now()
    for label, before in OFFER_REMINDER_OFFSETS.items():
        if offer.deadline - before > now:
            effect_arm(kind=OFFER_REMINDER, key=f"{OFFER_REMINDER}:{offer.pk}:{label}", target_type="offer",
                       target_id=offer.pk, due_at=offer.deadline - before, payload={"offset": label})  # fmt: skip


# Why a step was cancelled (stored as the code; the planner shows its label).
CANCEL_CONFLICT, CANCEL_DELIVERED, CANCEL_DECIDED, CANCEL_WITHDRAWN, CANCEL_ANSWERED = (
    "conflict", "delivered", "decided", "withdrawn", "offer-answered",
)  # fmt: skip


def assignment_deadlines_cancel(*, assignment_ids, reason: str) -> int:
    """The reminder and overdue rows of these assignments, which will never be needed now."""
    return effects_cancel(target_type="assignment", target_ids=assignment_ids, kinds=(REVIEW_REMINDER, REVIEW_OVERDUE),
                          reason=reason)  # fmt: skip


def offer_deadlines_cancel(*, application_id: int, reason: str) -> int:
    """An answered (or lapsed) offer's reminders, and its lapse row."""
    from .notifications import OFFER_LAPSE

    offers = Offer.objects.filter(application_id=application_id).values("pk")
    return effects_cancel(target_type="offer", target_ids=offers, kinds=(OFFER_REMINDER,), reason=reason) + (
        effects_cancel(target_type="application", target_ids=[application_id], kinds=(OFFER_LAPSE,), reason=reason)
    )


@on_transition(DECIDE_APPROVE)
@on_transition(DECIDE_REJECT)
@on_transition(DECIDE_WAITLIST)
@on_transition(WITHDRAW)
def _review_ended(application, transition, by_user) -> None:
    """Decided or withdrawn: no open assignment of the application will be delivered."""
    from scheduling.deadlines import DRAFT_REMINDER

    reason = CANCEL_WITHDRAWN if transition.name == WITHDRAW else CANCEL_DECIDED
    assignment_deadlines_cancel(assignment_ids=application.assignments.values("pk"), reason=reason)
    if transition.name == WITHDRAW:
        effects_cancel(target_type="application", target_ids=[application.pk], kinds=(DRAFT_REMINDER,), reason=reason)


@on_transition(ACCEPT_OFFER)
@on_transition(DECLINE_OFFER)
@on_transition(LAPSE_OFFER)
def _offer_ended(application, transition, by_user) -> None:
    offer_deadlines_cancel(application_id=application.pk, reason=CANCEL_ANSWERED)


def _assignment(pk: int) -> ReviewAssignment | None:
    return ReviewAssignment.objects.select_related("application__call__scheme", "reviewer").filter(pk=pk).first()


def _still_open(assignment: ReviewAssignment | None) -> bool:
    return (assignment is not None and assignment.state in OPEN_ASSIGNMENT
            and assignment.application.state == State.IN_REVIEW)  # fmt: skip


def _notices_arm(users, *, kind: str, cause: str, application_id: int, data: dict, key: str = "") -> int:
    """The cause's notices, one per active person of ``users`` (ids, or a query of them), written in
    one statement (key ``<cause>:user:<user>``, or ``cause`` itself for one person) and e-mailed in
    batches over one connection each (``scheduling.notices``). Returns how many were written now."""
    from django.contrib.auth import get_user_model

    from applications.models import Application

    now = timezone.now()
    recipients = (
        get_user_model().objects.filter(pk__in=users, is_active=True)
        .annotate(notice_application=Value(application_id, output_field=BigIntegerField()), notice_user=F("pk"))
        .values_list("notice_application", "notice_user").order_by()
    )  # fmt: skip
    sql, params = recipients.query.get_compiler(using=recipients.db).as_sql()
    key = key or f"{cause}:user:{{user}}"
    call_id = Application.objects.values_list("call_id", flat=True).get(pk=application_id)
    notice_ids = notices_insert(recipients_sql=sql, recipients_params=params, using=recipients.db, kind=kind,
                                key=key, call_id=call_id, data=data, now=now)  # fmt: skip
    notice_mail_arm(notice_ids=notice_ids, key=cause, now=now)
    if notice_ids:
        from scheduling.tasks import sweep

        publish_on_commit(sweep)
    return len(notice_ids)


def review_reminder_due(*, assignment_id: int) -> int:
    assignment = _assignment(assignment_id)
    if not _still_open(assignment):
        return 0
    data = {"due": assignment.due_date.isoformat(), "assignment": assignment.pk}
    return _notices_arm([assignment.reviewer_id], kind=Notice.Kind.REVIEW_REMINDER,
                        cause=f"{REVIEW_REMINDER}:{assignment.pk}", key=f"{REVIEW_REMINDER}:{assignment.pk}",
                        application_id=assignment.application_id, data=data)  # fmt: skip


def review_overdue_due(*, assignment_id: int) -> int:
    from .notifications import _officer_ids

    assignment = _assignment(assignment_id)
    if not _still_open(assignment):
        return 0
    data = {"due": assignment.due_date.isoformat(), "assignment": assignment.pk,
            "reviewer": assignment.reviewer.full_name or assignment.reviewer.email}  # fmt: skip
    return _notices_arm(_officer_ids(assignment.application), kind=Notice.Kind.REVIEW_OVERDUE,
                        cause=f"{REVIEW_OVERDUE}:{assignment.pk}", application_id=assignment.application_id,
                        data=data)  # fmt: skip


def offer_reminder_due(*, offer_id: int, offset: str) -> int:
    offer = Offer.objects.select_related("application").filter(pk=offer_id).first()
    if offer is None or offer.answer or offer.application.state != State.OFFER_SENT:
        return 0
    data = {"deadline": offer.deadline.isoformat(), "offset": offset}
    return _notices_arm(ansvarlige(offer.application.organisation_id), kind=Notice.Kind.OFFER_REMINDER,
                        cause=f"{OFFER_REMINDER}:{offer.pk}:{offset}", application_id=offer.application_id,
                        data=data)  # fmt: skip


def ansvarlige(organisation_id: int):
    """The organisation's administrativt ansvarlige, as a query of user ids (a subquery, not a list)."""
    return Membership.objects.filter(organisation_id=organisation_id, role=Membership.Role.ANSVARLIG).values("user_id")


TEMPLATES = {
    Notice.Kind.REVIEW_REMINDER: ("review/email/review_reminder", "reviewer-assignment"),
    Notice.Kind.REVIEW_OVERDUE: ("review/email/review_overdue", "staff-application"),
    Notice.Kind.OFFER_REMINDER: ("review/email/offer_reminder", "application-offer"),
    Notice.Kind.REPORT_REMINDER: ("review/email/report_reminder", "application-reports"),  # review/reports.py
    Notice.Kind.REPORT_OVERDUE: ("review/email/report_overdue", "staff-application"),
}
REPORT_NOTICES = (Notice.Kind.REPORT_REMINDER, Notice.Kind.REPORT_OVERDUE)


def _still_to_send(kind: str, notices: list[Notice]) -> set[int]:
    """The batch's notices whose cause is still open (the review not delivered, the offer not
    answered, the report not in), checked again when the batch is sent: one query for the batch."""
    if kind == Notice.Kind.OFFER_REMINDER:
        return {n.pk for n in notices if n.application.state == State.OFFER_SENT}
    if kind in REPORT_NOTICES:
        from .models import ProjectReport

        open_ids = set(ProjectReport.objects.filter(
            pk__in={n.data["report"] for n in notices}, submitted_at__isnull=True,
            application__state=State.IN_REPORTING,
        ).values_list("pk", flat=True))  # fmt: skip
        return {n.pk for n in notices if n.data["report"] in open_ids}
    open_ids = set(ReviewAssignment.objects.filter(
        pk__in={n.data["assignment"] for n in notices}, state__in=OPEN_ASSIGNMENT, application__state=State.IN_REVIEW,
    ).values_list("pk", flat=True))  # fmt: skip
    return {n.pk for n in notices if n.data["assignment"] in open_ids}


def _contexts(notices: list[Notice], now: datetime) -> dict[int, dict | None]:
    """The e-mails of a batch of one kind (``scheduling.notices``); None for a notice whose cause
    was closed since it was written."""
    kind = notices[0].kind
    _template, url_name = TEMPLATES[kind]
    base = settings.PORTAL_BASE_URL.rstrip("/")
    to_send = _still_to_send(kind, notices)
    contexts = {}
    for n in notices:
        if n.pk not in to_send:
            contexts[n.pk] = None
            continue
        target = n.data.get("assignment") if url_name == "reviewer-assignment" else n.application_id
        due = n.data.get("due")
        contexts[n.pk] = {"application": n.application, "data": n.data, "notice": n,
                          "due": date.fromisoformat(due) if due else None,
                          "url": base + reverse(url_name, args=[target])}  # fmt: skip
    return contexts


for _kind, (_template, _url_name) in TEMPLATES.items():
    notice_mail_register(_kind, NoticeMail(_template, _contexts))


def notice_mail_send(*, effect: ScheduledEffect, user) -> Notice | None:
    """A ``review-notice`` row armed before the notices were batched (one row per person): one
    notice and one e-mail for the row's person and key; checked once more (the review may have been
    delivered, the offer answered, since the row was armed)."""
    from applications.models import Application

    payload = effect.payload
    kind = payload["notice"]
    application = Application.objects.select_related("call").filter(pk=effect.target_id).first()
    if application is None:
        return None
    if kind == Notice.Kind.OFFER_REMINDER and application.state != State.OFFER_SENT:
        return None
    if kind in (Notice.Kind.REVIEW_REMINDER, Notice.Kind.REVIEW_OVERDUE) and not _still_open(
        _assignment(payload["data"]["assignment"])
    ):
        return None
    if kind in REPORT_NOTICES:
        from .reports import report_still_open

        if not report_still_open(payload["data"]["report"]):
            return None
    now = timezone.now()
    with transaction.atomic():
        notice, created = Notice.objects.get_or_create(
            key=payload["key"],
            defaults={"user": user, "kind": kind, "call": application.call, "application": application,
                      "created_at": now, "emailed_at": now if user.email else None, "data": payload["data"]},
        )  # fmt: skip
        if created and user.email:
            template, url_name = TEMPLATES[kind]
            target = payload["data"].get("assignment") if url_name == "reviewer-assignment" else application.pk
            due = payload["data"].get("due")
            context = {"application": application, "data": payload["data"], "notice": notice,
                       "due": date.fromisoformat(due) if due else None,
                       "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse(url_name, args=[target])}  # fmt: skip
            send_templated_email(to_user=user, template_prefix=template, context=context)
    return notice if created else None
