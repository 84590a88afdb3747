"""The effect kinds this app drives. Each handler fetches what the row names and calls one
service; a row whose call was deleted has nothing left to do."""

from schemes.models import Call

from .models import ScheduledEffect
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
        call_closed_record(call=call, due_at=effect.due_at)


@register(WATCH_NOTIFY)
def handle_watch_notify(effect: ScheduledEffect) -> None:
    call, user = _call(effect), user_for_notice(effect.payload["user"])
    if call and user and user.is_active:
        call_opened_notify(call=call, user=user)
