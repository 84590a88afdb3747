"""Who may do what with an organisation. Plain functions, used by views, templates and services."""

from .models import Invitation, Membership, Organisation


def _role(user, organisation: Organisation) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    cache = getattr(user, "_organisation_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        user._organisation_roles = cache
    return cache.get(organisation.pk)


def can_view_organisation(user, organisation: Organisation) -> bool:
    """Members see their organisation and its members; nobody else does."""
    return _role(user, organisation) is not None


def can_invite(user, organisation: Organisation, *, role: str = Membership.Role.MEMBER) -> bool:
    """Any member may invite a colleague as a member; only the ansvarlig may invite an ansvarlig."""
    own = _role(user, organisation)
    if own is None:
        return False
    return role == Membership.Role.MEMBER or own == Membership.Role.ANSVARLIG


def can_manage_members(user, organisation: Organisation) -> bool:
    """Only the administrativt ansvarlig changes roles, removes members and withdraws invitations."""
    return _role(user, organisation) == Membership.Role.ANSVARLIG


def invitation_is_for(user, invitation: Invitation) -> bool:
    """An invitation is accepted by the person it was sent to: the e-mail must be theirs."""
    return user.is_authenticated and user.is_active and user.email.lower() == invitation.email.lower()
