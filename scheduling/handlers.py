"""The effect kinds this app drives. Each handler fetches what the row names and calls one
service; a row whose call was deleted has nothing left to do."""

from applications.models import Application
from schemes.models import Call, CallStage

from .deadlines import (
    DEADLINE_SUMMARY,
    DRAFT_REMINDER,
    DRAFT_REMINDERS,
    STAGE_CLOSE,
    deadline_passed,
    deadline_summary_send,
    draft_reminder_send,
    draft_reminders_arm,
)
from .models import ScheduledEffect
from .notices import NOTICE_MAIL, notice_mail_send
from .registry import register
from .services import (
    CALL_CLOSE,
    CALL_OPEN,
    WATCH_NOTIFY,
    call_closed_record,
    call_opened_notify,
    call_opened_record,
    user_for_notice,
)


def _call(effect: ScheduledEffect) -> Call | None:
    return Call.objects.select_related("scheme").filter(pk=effect.target_id).first()


@register(CALL_OPEN)
def handle_call_open(effect: ScheduledEffect) -> None:
    if call := _call(effect):
        call_opened_record(call=call, due_at=effect.due_at)


@register(CALL_CLOSE)
def handle_call_close(effect: ScheduledEffect) -> None:
    if call := _call(effect):
        call_closed_record(call=call, due_at=call.closes_at)  # the deadline, not the row's (it runs CLOSE_GRACE later)
        deadline_passed(call=call)


@register(STAGE_CLOSE)
def handle_stage_close(effect: ScheduledEffect) -> None:
    stage = CallStage.objects.select_related("call__scheme").filter(pk=effect.payload["stage"]).first()
    if stage and stage.closes_at:  # a stage removed, or its own deadline cleared: closed with the call
        deadline_passed(call=stage.call, stage=stage)


def _stage(effect: ScheduledEffect) -> CallStage | None:
    return CallStage.objects.filter(pk=effect.payload["stage"]).first() if effect.payload.get("stage") else None


@register(DRAFT_REMINDERS)
def handle_draft_reminders(effect: ScheduledEffect) -> None:
    if call := _call(effect):
        stage = _stage(effect)
        if stage is not None or not effect.payload.get("stage"):
            draft_reminders_arm(call=call, stage=stage, offset=effect.payload["offset"])


@register(DRAFT_REMINDER)  # rows armed one per person before the notices were batched: still sent once
def handle_draft_reminder(effect: ScheduledEffect) -> None:
    application = (
        Application.objects.select_related("call__scheme", "stage", "organisation").filter(pk=effect.target_id).first()
    )
    user = user_for_notice(effect.payload["user"])
    if application and user and user.is_active:
        draft_reminder_send(application=application, user=user, offset=effect.payload["offset"])


@register(NOTICE_MAIL)
def handle_notice_mail(effect: ScheduledEffect) -> None:
    notice_mail_send(effect=effect)


@register(DEADLINE_SUMMARY)
def handle_deadline_summary(effect: ScheduledEffect) -> None:
    call, user = _call(effect), user_for_notice(effect.payload["user"])
    if call and user and user.is_active:
        deadline_summary_send(call=call, user=user, payload=effect.payload, key=effect.key)


@register(WATCH_NOTIFY)
def handle_watch_notify(effect: ScheduledEffect) -> None:
    call, user = _call(effect), user_for_notice(effect.payload["user"])
    if call and user and user.is_active:
        call_opened_notify(call=call, user=user)
