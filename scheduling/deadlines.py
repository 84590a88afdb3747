"""Application deadlines in the scheduler: reminders to applicants with a draft, closing at the
deadline (``applications.services.deadlines``) and the officers' notice with the count.

Rows (README, "Deadlines and the scheduler"):

- ``draft-reminders:<call>:<offset>`` (``…:stage-<stage>:<offset>`` for a stage's own deadline): one
  *reminder sweep* per deadline and offset, due at deadline − offset, armed by ``call_schedule``.
  When it runs it arms the per-person rows below in one query plus batched inserts, so creating a
  draft arms nothing, and a deadline moved in the admin moves the sweep rows with it.
- no row per person: the reminder sweep writes the notices (key
  ``draft-reminder:<application>:<offset>:user:<user>``, one per person, application and offset: at
  most once, whatever reruns, retries or moved deadlines do) in one statement, and arms one
  ``notice-mail:…`` row per batch of them, sent over one SMTP connection (``notices``). Rows of kind
  ``draft-reminder`` armed before that (one per person) are still handled.
- ``stage-close:<stage>``: a stage's own deadline; the call's is the existing ``call-close:<call>``.
- ``deadline-summary:<call>:<scope>:user:<user>``: the officers' notice with the count.

Who is reminded: the people who worked on the draft (its creator and everyone on its timeline)
and the organisation's administrativt ansvarlig(e), as long as they are still active members of
the applicant organisation. Not every member: in a municipality with hundreds of members, most have
nothing to do with a given draft, and a reminder to all of them for every draft teaches people to
ignore the portal's e-mail. The ansvarlig is always told because only they can submit.
"""

from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from applications.models import Application, ApplicationEvent
from applications.services import (
    applications_close_at_deadline,
    deadline_officer_ids,
)
from applications.services.deadlines import CLOSE_GRACE, deadline_of, deadline_scope
from applications.workflow import OPEN_STATES
from organisations.models import Membership
from portal.emails import send_templated_email
from portal.publish import publish_on_commit
from schemes.models import Call, CallStage
from schemes.reminders import parse_offsets

from .engine import effect_arm, effects_arm_many
from .models import EffectState, Notice, ScheduledEffect
from .notices import NoticeMail, notice_mail_arm, notice_mail_register, notices_insert

DRAFT_REMINDERS, DRAFT_REMINDER = "draft-reminders", "draft-reminder"
STAGE_CLOSE, DEADLINE_SUMMARY = "stage-close", "deadline-summary"


def _offsets(call: Call) -> dict:
    try:
        return dict(parse_offsets(call.draft_reminders))
    except ValidationError:  # validated in the admin; a bad value written elsewhere reminds nobody
        return {}


def _scope_key(call: Call, stage: CallStage | None) -> str:
    return f"{call.pk}:stage-{stage.pk}" if stage is not None else f"{call.pk}"


def call_deadlines_schedule(*, call: Call) -> None:
    """Arm (or move) the reminder sweeps of every deadline of the call and the stages' own closing
    rows; rows for offsets or stages no longer configured go, if they have not run. Called by
    ``services.call_schedule`` in the transaction that saved the call."""
    offsets = _offsets(call)
    wanted = set()
    stages = [s for s in call.stages.all() if s.closes_at]
    for stage in stages:
        key = f"{STAGE_CLOSE}:{stage.pk}"
        effect_arm(kind=STAGE_CLOSE, key=key, due_at=stage.closes_at + CLOSE_GRACE, target_type="call",
                   target_id=call.pk, payload={"stage": stage.pk})  # fmt: skip
        wanted.add(key)
    for stage in [None, *stages]:
        deadline = deadline_of(call=call, stage=stage)
        for label, delta in offsets.items():
            key = f"{DRAFT_REMINDERS}:{_scope_key(call, stage)}:{label}"
            effect_arm(kind=DRAFT_REMINDERS, key=key, due_at=deadline - delta, target_type="call",
                       target_id=call.pk, payload={"stage": stage.pk if stage else None, "offset": label})  # fmt: skip
            wanted.add(key)
    ScheduledEffect.objects.filter(
        kind__in=[DRAFT_REMINDERS, STAGE_CLOSE], target_type="call", target_id=call.pk, state=EffectState.PENDING
    ).exclude(key__in=wanted).delete()


# --- Reminders ------------------------------------------------------------------------------------
def reminder_recipients(applications):
    """(application id, user id) pairs, once each: see the module for who and why. One query."""
    ansvarlige = applications.filter(
        organisation__memberships__role=Membership.Role.ANSVARLIG,
        organisation__memberships__user__is_active=True,
    ).values_list("pk", "organisation__memberships__user_id")
    # The creator and the timeline's actors count only while still members of the applicant.
    creators = applications.filter(
        created_by__memberships__organisation=F("organisation"), created_by__is_active=True
    ).values_list("pk", "created_by_id")
    editors = ApplicationEvent.objects.filter(
        application__in=applications.values("pk"),
        actor__is_active=True,
        actor__memberships__organisation=F("application__organisation"),
    ).values_list("application_id", "actor_id")
    # UNION (not UNION ALL): the database removes the duplicates. No ORDER BY: nothing needs it.
    return ansvarlige.order_by().union(creators.order_by(), editors.order_by()).order_by()


def draft_reminders_arm(*, call: Call, stage: CallStage | None, offset: str, now: datetime | None = None) -> int:
    """The reminder sweep: one ``draft-reminder`` notice per person and open application of the
    deadline, written in one statement and e-mailed in batches (``notices``); returns how many.
    Nothing when the offset is no longer configured, the deadline has passed, or a shorter offset
    is already due (the scheduler was down: only the latest reminder is sent, not all at once)."""
    now = now or timezone.now()
    offsets = _offsets(call)
    if offset not in offsets or (stage is not None and not stage.closes_at):
        return 0
    deadline = deadline_of(call=call, stage=stage)
    if now >= deadline or any(d < offsets[offset] and now >= deadline - d for d in offsets.values()):
        return 0
    open_drafts = deadline_scope(call=call, stage=stage).filter(state__in=OPEN_STATES)
    recipients_sql, recipients_params = (
        reminder_recipients(open_drafts).query.get_compiler(using=open_drafts.db).as_sql()
    )
    notice_ids = notices_insert(
        recipients_sql=recipients_sql, recipients_params=recipients_params, using=open_drafts.db,
        kind=Notice.Kind.DRAFT_REMINDER, key=f"{DRAFT_REMINDER}:{{application}}:{offset}:user:{{user}}",
        call_id=call.pk, data={"deadline": deadline.isoformat(), "offset": offset}, now=now,
    )  # fmt: skip
    notice_mail_arm(notice_ids=notice_ids, key=f"{DRAFT_REMINDER}:{_scope_key(call, stage)}:{offset}", now=now)
    if notice_ids:
        from .tasks import sweep

        publish_on_commit(sweep)  # deliver now rather than at the next tick
    return len(notice_ids)


def _draft_reminder_contexts(notices: list[Notice], now: datetime) -> dict[int, dict | None]:
    """The reminder's e-mail, unless the application was submitted or withdrawn since the notice was
    written or its deadline passed (read without the row lock: see ``draft_reminder_send``)."""
    link = _application_link_format()  # reversed once for the batch, not once per message
    return {
        n.pk: {"application": n.application, "call": n.application.call, "deadline": n.application.deadline,
               "url": link.format(n.application_id)}
        if n.application.state in OPEN_STATES and now < n.application.deadline else None
        for n in notices
    }  # fmt: skip


notice_mail_register(
    Notice.Kind.DRAFT_REMINDER,
    NoticeMail("scheduling/email/draft_reminder", _draft_reminder_contexts, slots=("application", "url", "user")),
)


@lru_cache(maxsize=1)
def _has_application_page() -> bool:
    try:
        reverse("application-detail", args=[1])
    except NoReverseMatch:  # until the drafting pages are merged
        return False
    return True


def _application_link_format() -> str:
    """``_application_link`` with ``{}`` for the application's id (the ids are plain integers)."""
    sample = _application_link(0)
    return sample.replace("/0/", "/{}/") if "/0/" in sample else sample.replace("{", "{{").replace("}", "}}")


def _application_link(application_id: int) -> str:
    base = settings.PORTAL_BASE_URL.rstrip("/")
    if _has_application_page():
        return base + reverse("application-detail", args=[application_id])
    return base + reverse("my-page")  # Min side lists the person's applications


def draft_reminder_send(*, application: Application, user, offset: str, now: datetime | None = None) -> Notice | None:
    """One notice and one e-mail, unless the application was submitted or withdrawn in the meantime
    or its deadline passed. Read without the application's row lock on purpose: holding it while the
    mail server answers would make a submit wait; a submit committed a moment later only makes the
    reminder unnecessary. Runs inside the engine's guarded transaction (see ``call_opened_notify``)."""
    now = now or timezone.now()
    if application.state not in OPEN_STATES or now >= application.deadline:
        return None
    # emailed_at is written with the notice: if the send below fails, both roll back together.
    notice, created = Notice.objects.get_or_create(
        key=f"{DRAFT_REMINDER}:{application.pk}:{offset}:user:{user.pk}",
        defaults={"user": user, "kind": Notice.Kind.DRAFT_REMINDER, "call": application.call,
                  "application": application, "created_at": now, "emailed_at": now if user.email else None,
                  "data": {"deadline": application.deadline.isoformat(), "offset": offset}},
    )  # fmt: skip
    if not created:
        return None
    if user.email:
        context = {"application": application, "call": application.call, "deadline": application.deadline,
                   "url": _application_link(application.pk)}  # fmt: skip
        send_templated_email(to_user=user, template_prefix="scheduling/email/draft_reminder", context=context)
    return notice


# --- At the deadline ------------------------------------------------------------------------------
def deadline_passed(*, call: Call, stage: CallStage | None = None, now: datetime | None = None) -> int:
    """Close the deadline's applications, then arm one summary row per officer with the count.
    Raises ``DeadlineNotPassed`` before the deadline (the engine retries a minute later). Returns
    how many officers' rows were armed (0 on a rerun)."""
    now = now or timezone.now()
    with transaction.atomic():
        result = applications_close_at_deadline(call=call, stage=stage, now=now)
        payload = {
            "stage": stage.pk if stage else None,
            "submitted": result.submitted,
            "not_submitted": result.not_submitted,
            "deadline": deadline_of(call=call, stage=stage).isoformat(),
        }
        rows = [
            ScheduledEffect(kind=DEADLINE_SUMMARY, key=f"{DEADLINE_SUMMARY}:{_scope_key(call, stage)}:user:{user_id}",
                            due_at=now, target_type="call", target_id=call.pk, payload={**payload, "user": user_id})
            for user_id in deadline_officer_ids(call=call)
        ]  # fmt: skip
        armed = effects_arm_many(rows=rows)
    if armed:
        from .tasks import sweep

        publish_on_commit(sweep)
    return armed


def deadline_summary_send(*, call: Call, user, payload: dict, key: str) -> Notice | None:
    stage = CallStage.objects.filter(pk=payload["stage"]).first() if payload.get("stage") else None
    notice, created = Notice.objects.get_or_create(
        key=key,
        defaults={"user": user, "kind": Notice.Kind.DEADLINE_SUMMARY, "call": call, "created_at": timezone.now(),
                  "data": {"deadline": payload["deadline"], "submitted": payload["submitted"],
                           "stage": stage.kind if stage else ""}},
    )  # fmt: skip
    if not created:
        return None
    if user.email:
        context = {"call": call, "stage": stage, "deadline": notice.deadline, "submitted": payload["submitted"],
                   "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("staff-home")}  # fmt: skip
        send_templated_email(to_user=user, template_prefix="scheduling/email/deadline_summary", context=context)
        Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return notice
