from django.http import Http404

from .models import Invitation, Membership, Organisation
from .permissions import can_view_organisation


def memberships_for_user(*, user):
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__municipality", "organisation__county")
        .order_by("organisation__name")
    )


def access_organisation(*, user, org_number: str) -> Organisation:
    """The organisation, if the user may see it; otherwise 404 (its existence is not revealed)."""
    organisation = (
        Organisation.objects.select_related("municipality__county", "county").filter(org_number=org_number).first()
    )
    if organisation is None or not can_view_organisation(user, organisation):
        raise Http404
    return organisation


def organisation_members(*, organisation: Organisation):
    return organisation.memberships.select_related("user").order_by("user__full_name", "user__email")


def organisation_open_invitations(*, organisation: Organisation):
    return Invitation.objects.pending().filter(organisation=organisation).select_related("invited_by")


def invitations_for_user(*, user):
    """Open invitations sent to the person's own e-mail address (shown on Min side)."""
    return (
        Invitation.objects.pending()
        .filter(email__iexact=user.email)
        .select_related("organisation", "invited_by")
        .order_by("-created_at")
    )
