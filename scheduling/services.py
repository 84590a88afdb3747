"""What the scheduler drives for calls and watch lists. Each service has a state guard of its own
(a unique key or a get-or-create), so even outside the engine's guard a rerun does nothing twice."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.services.deadlines import CLOSE_GRACE
from portal.emails import send_templated_email
from portal.publish import publish_on_commit
from schemes.models import Call, CallStatus, Scheme, Theme

from .deadlines import call_deadlines_schedule
from .engine import effect_arm, effects_arm_many
from .models import CallEvent, Notice, ScheduledEffect, Watch

CALL_OPEN, CALL_CLOSE, WATCH_NOTIFY = "call-open", "call-close", "watch-notify"


# --- Calls ------------------------------------------------------------------------------------
def call_schedule(*, call: Call) -> None:
    """Arm (or move) the call's open and close rows, and its deadlines' rows (``deadlines``). Called
    wherever a call is saved: the admin (``CallAdmin.save_model``, and ``save_related`` once the
    stages are saved) and the seed (``schemes/seed.py``), in the saving transaction."""
    with transaction.atomic():
        effect_arm(kind=CALL_OPEN, key=f"{CALL_OPEN}:{call.pk}", due_at=call.opens_at, target_type="call",
                   target_id=call.pk)  # fmt: skip
        effect_arm(kind=CALL_CLOSE, key=f"{CALL_CLOSE}:{call.pk}", due_at=call.closes_at + CLOSE_GRACE,
                   target_type="call", target_id=call.pk)  # fmt: skip
        call_deadlines_schedule(call=call)  # stages' own deadlines and the reminders before each


def call_opened_record(*, call: Call, due_at: datetime) -> int:
    """The call has opened: log it and arm one notification row per follower (of its scheme or
    of one of the scheme's themes). Nobody is told about a call that is no longer open when this
    runs late (its deadline passed while the scheduler was down), and nobody twice: the rows'
    keys are per call and person. Returns how many rows were armed."""
    now = timezone.now()
    CallEvent.objects.get_or_create(call=call, kind=CallEvent.Kind.OPENED, due_at=due_at,
                                    defaults={"recorded_at": now})  # fmt: skip
    if call.status(now=now) != CallStatus.OPEN:
        return 0
    follower_ids = (
        Watch.objects.filter(Q(scheme_id=call.scheme_id) | Q(theme__schemes=call.scheme_id), user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    rows = [
        ScheduledEffect(kind=WATCH_NOTIFY, key=f"{WATCH_NOTIFY}:{call.pk}:user:{user_id}", due_at=now,
                        target_type="call", target_id=call.pk, payload={"user": user_id})
        for user_id in follower_ids
    ]  # fmt: skip
    armed = effects_arm_many(rows=rows)
    if armed:
        from .tasks import sweep

        publish_on_commit(sweep)  # deliver now rather than at the next tick
    return armed


def call_closed_record(*, call: Call, due_at: datetime) -> None:
    """Bookkeeping only: the submit guard and the catalogue compare ``closes_at`` with the clock."""
    CallEvent.objects.get_or_create(call=call, kind=CallEvent.Kind.CLOSED, due_at=due_at,
                                    defaults={"recorded_at": timezone.now()})  # fmt: skip


def call_opened_notify(*, call: Call, user) -> Notice | None:
    """One notice and one e-mail per person and call. The e-mail is sent inside the transaction
    that creates the notice (and, under the engine, marks the row done): a failure to send rolls
    all of it back for a retry. See README for the one window where a mail can go twice."""
    notice, created = Notice.objects.get_or_create(
        key=f"call-opened:{call.pk}:user:{user.pk}",
        defaults={"user": user, "kind": Notice.Kind.CALL_OPENED, "call": call, "created_at": timezone.now()},
    )
    if not created:
        return None
    if user.email:
        base = settings.PORTAL_BASE_URL.rstrip("/")
        context = {
            "call": call,
            "scheme": call.scheme,
            "url": base + reverse("scheme-detail", args=[call.scheme.slug]),
            "watches_url": base + reverse("my-watches"),
        }
        send_templated_email(to_user=user, template_prefix="scheduling/email/call_opened", context=context)
        Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return notice


# --- Watch lists -------------------------------------------------------------------------------
def watch_follow(*, user, scheme: Scheme | None = None, theme: Theme | None = None) -> Watch:
    if (scheme is None) == (theme is None):
        raise ValidationError(_("Velg én ordning eller ett tema å følge."))
    watch, _created = Watch.objects.get_or_create(user=user, scheme=scheme, theme=theme)
    return watch


def watch_unfollow(*, watch: Watch) -> None:
    watch.delete()


def user_for_notice(user_id: int):
    return get_user_model().objects.filter(pk=user_id).first()
