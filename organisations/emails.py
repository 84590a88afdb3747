from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Invitation


def invitation_language(invitation: Invitation) -> str:
    """The invitee's own language if they have an account, else the language of the person inviting."""
    existing = get_user_model().objects.filter(email__iexact=invitation.email).values_list("language", flat=True)
    return existing.first() or (invitation.invited_by.language if invitation.invited_by else "nb")


def invitation_email_send(*, invitation: Invitation, token: str, base_url: str) -> None:
    """The invitation e-mail, with the only copy of the link's token (the database keeps its hash)."""
    with translation.override(invitation_language(invitation)):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by,
            "role": invitation.get_role_display(),
            "url": base_url.rstrip("/") + reverse("invitation-accept", args=[token]),
            "expires_at": timezone.localtime(invitation.expires_at),
        }
        subject = render_to_string("organisations/email/invitation_subject.txt", context).strip()
        body = render_to_string("organisations/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
