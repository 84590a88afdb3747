"""The e-mails an application causes, as scheduler rows (``scheduling``): armed in the transaction
that caused them, sent by the worker once per key, in each recipient's language."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from organisations.models import Membership
from portal.emails import send_templated_email
from portal.publish import publish_on_commit
from scheduling.engine import effects_arm_many
from scheduling.models import ScheduledEffect

RECEIPT = "application-receipt"
APPROVAL_REQUEST = "application-approval-request"


def _arm(rows: list[ScheduledEffect], *, keys_are_new: bool = False) -> int:
    armed = effects_arm_many(rows=rows, keys_are_new=keys_are_new)
    if armed:
        from scheduling.tasks import sweep

        publish_on_commit(sweep)  # now, rather than at the next tick
    return armed


def _ansvarlige_ids(organisation_id: int) -> list[int]:
    return list(
        Membership.objects.filter(
            organisation_id=organisation_id, role=Membership.Role.ANSVARLIG, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def receipt_recipients(*, organisation_id: int, submitter) -> list[int]:
    """Who gets a receipt: the submitter and every ansvarlig of the applicant (user ids, once each)."""
    return list(dict.fromkeys([submitter.pk, *_ansvarlige_ids(organisation_id)]))


def receipts_arm(*, version, recipients: list[int]) -> int:
    """One receipt per person in ``recipients`` (``receipt_recipients``, which the submit reads
    before it takes the reference counter's lock)."""
    now = timezone.now()
    return _arm(
        [
            ScheduledEffect(
                kind=RECEIPT,
                key=f"{RECEIPT}:{version.pk}:user:{user_id}",
                due_at=now,
                target_type="application",
                target_id=version.application_id,
                payload={"version": version.pk, "user": user_id},
            )
            for user_id in recipients
        ],
        keys_are_new=True,  # the version was inserted in this transaction
    )


def approval_requests_arm(*, application, requested_by, event_id: int) -> int:
    now = timezone.now()
    return _arm(
        [
            ScheduledEffect(
                kind=APPROVAL_REQUEST,
                key=f"{APPROVAL_REQUEST}:{event_id}:user:{user_id}",
                due_at=now,
                target_type="application",
                target_id=application.pk,
                payload={"application": application.pk, "user": user_id, "by": requested_by},
            )
            for user_id in _ansvarlige_ids(application.organisation_id)
        ]
    )


def _link(name: str, *args) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, args=args)


def receipt_send(*, version, user) -> None:
    from .receipts import receipt_filename, receipt_pdf

    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        pdf = receipt_pdf(version=version)
        filename = receipt_filename(version=version)
    send_templated_email(
        to_user=user,
        template_prefix="applications/email/receipt",
        context={
            "version": version,
            "application": version.application,
            "content": version.content,
            "link": _link("application-detail", version.application_id),
        },
        attachments=[(filename, pdf, "application/pdf")],
    )


def approval_request_send(*, application, user, requested_by: str) -> None:
    send_templated_email(
        to_user=user,
        template_prefix="applications/email/approval_request",
        context={
            "application": application,
            "requested_by": requested_by,
            "deadline": application.deadline,
            "link": _link("application-detail", application.pk),
        },
    )


def active_user(user_id: int):
    return get_user_model().objects.filter(Q(pk=user_id) & Q(is_active=True)).first()
