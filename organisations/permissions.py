"""Who may do what with an organisation. Plain functions, used by views, templates and services."""

from .models import Membership, Organisation


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


def can_manage_members(user, organisation: Organisation) -> bool:
    """Only the administrativt ansvarlig manages the members."""
    return _role(user, organisation) == Membership.Role.ANSVARLIG
