"""E-mails of review and decision, as scheduler rows armed in the transaction that caused them and
sent once per key by the worker, each in the recipient's language."""

from datetime import timedelta

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from applications.notifications import _ansvarlige_ids, _arm
from organisations.models import Membership
from portal.emails import send_templated_email
from scheduling.engine import effect_arm
from scheduling.models import ScheduledEffect

DECISION_LETTER = "decision-letter"
CONFLICT_NOTICE = "conflict-notice"
OFFER_LAPSE = "offer-lapse"


def _officer_ids(application) -> list[int]:
    """The scheme's saksbehandlere and the administrators of an agency running it (the same people
    told when a deadline passes)."""
    from applications.services.deadlines import deadline_officer_ids

    return deadline_officer_ids(call=application.call)


def conflict_notices_arm(*, assignment) -> int:
    now = timezone.now()
    return _arm(
        [
            ScheduledEffect(
                kind=CONFLICT_NOTICE,
                key=f"{CONFLICT_NOTICE}:{assignment.pk}:user:{user_id}",
                due_at=now,
                target_type="application",
                target_id=assignment.application_id,
                payload={"assignment": assignment.pk, "user": user_id},
            )
            for user_id in _officer_ids(assignment.application)
        ]
    )


def decision_letters_arm(*, decision) -> int:
    """The letter to every ansvarlig of the applicant and whoever submitted the last version."""
    now = timezone.now()
    application = decision.application
    submitter = application.versions.order_by("-number").values_list("submitted_by_id", flat=True).first()
    members = set(
        Membership.objects.filter(organisation_id=application.organisation_id).values_list("user_id", flat=True)
    )
    # Only people still in the applicant organisation: months may pass between submission and decision.
    users = dict.fromkeys([u for u in [submitter, *_ansvarlige_ids(application.organisation_id)] if u in members])
    return _arm(
        [
            ScheduledEffect(
                kind=DECISION_LETTER,
                key=f"{DECISION_LETTER}:{decision.pk}:user:{user_id}",
                due_at=now,
                target_type="application",
                target_id=application.pk,
                payload={"decision": decision.pk, "user": user_id},
            )
            for user_id in users
        ]
    )


def offer_lapse_arm(*, offer) -> None:
    effect_arm(
        kind=OFFER_LAPSE,
        key=f"{OFFER_LAPSE}:{offer.pk}",
        due_at=offer.deadline + timedelta(seconds=1),  # the deadline's own second still takes an answer
        target_type="application",
        target_id=offer.application_id,
    )


def _link(application) -> str:
    try:
        path = reverse("application-detail", args=[application.pk])
    except NoReverseMatch:  # pragma: no cover - the page exists once the applications pages are installed
        path = "/soknader/"
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def decision_letter_send(*, decision, user) -> None:
    from .letters import letter_filename, letter_pdf

    with translation.override(user.language or settings.LANGUAGE_CODE):
        pdf, filename = letter_pdf(decision=decision), letter_filename(decision=decision)
    send_templated_email(
        to_user=user,
        template_prefix=f"review/email/decision_{decision.outcome}",
        context={"decision": decision, "application": decision.application, "link": _link(decision.application)},
        attachments=[(filename, pdf, "application/pdf")],
    )


def conflict_notice_send(*, assignment, user) -> None:
    send_templated_email(
        to_user=user,
        template_prefix="review/email/conflict",
        context={"assignment": assignment, "application": assignment.application},
    )
