from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.emails import send_templated_email

from .models import Invitation


def invitation_language(invitation: Invitation) -> str:
    """The invitee's own language if they have an account, else the language of the person inviting."""
    existing = get_user_model().objects.filter(email__iexact=invitation.email).values_list("language", flat=True)
    return existing.first() or (invitation.invited_by.language if invitation.invited_by else settings.LANGUAGE_CODE)


def invitation_email_send(*, invitation: Invitation, token: str, base_url: str) -> None:
    """The invitation e-mail, with the only copy of the link's token (the database keeps its hash)."""
    send_templated_email(
        to_email=invitation.email,
        language=invitation_language(invitation),
        template_prefix="organisations/emails/invitation",
        context={
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by,
            "url": base_url.rstrip("/") + reverse("invitation-accept", args=[token]),
            "expires_at": invitation.expires_at,
        },
    )
