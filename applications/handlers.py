"""Scheduler handlers for the application e-mails (``notifications``). Thin: fetch, then send."""

from scheduling.models import ScheduledEffect
from scheduling.registry import register

from .models import Application, ApplicationVersion
from .notifications import APPROVAL_REQUEST, RECEIPT, active_user, approval_request_send, receipt_send


@register(RECEIPT)
def handle_receipt(effect: ScheduledEffect) -> None:
    version = (
        ApplicationVersion.objects.select_related("application__call__scheme", "application__organisation")
        .filter(pk=effect.payload["version"])
        .first()
    )
    user = active_user(effect.payload["user"])
    if version and user and user.email:
        receipt_send(version=version, user=user)


@register(APPROVAL_REQUEST)
def handle_approval_request(effect: ScheduledEffect) -> None:
    application = (
        Application.objects.select_related("call", "stage", "organisation")
        .filter(pk=effect.payload["application"])
        .first()
    )
    user = active_user(effect.payload["user"])
    if application and user and user.email and application.is_editable:
        approval_request_send(application=application, user=user, requested_by=effect.payload.get("by", ""))
