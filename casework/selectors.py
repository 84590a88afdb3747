from django.db.models import Q
from django.http import Http404

from accounts.models import StaffRole
from accounts.permissions import can_handle_scheme, staff_access
from schemes.models import Scheme


def staff_roles_for_user(*, user) -> tuple[StaffRole, ...]:
    return staff_access(user).role_rows


def schemes_handled_by(*, user):
    access = staff_access(user)
    schemes = Scheme.objects.all() if access.all_schemes else Scheme.objects.filter(pk__in=access.handled_scheme_ids)
    return schemes.prefetch_related("agencies").order_by("-is_active", "name")


def access_scheme_for_staff(*, user, slug: str) -> Scheme:
    """The scheme, if the person handles it; otherwise 404 (as if it did not exist to them)."""
    scheme = Scheme.objects.prefetch_related("agencies").filter(slug=slug).first()
    if scheme is None or not can_handle_scheme(user, scheme):
        raise Http404
    return scheme


def scheme_staff(*, scheme: Scheme):
    """Who works on the scheme: its saksbehandlere and the administrators of its agencies."""
    return (
        StaffRole.objects.filter(
            Q(role=StaffRole.Role.OFFICER, schemes=scheme)
            | Q(role=StaffRole.Role.ADMINISTRATOR, agency__in=scheme.agencies.all())
        )
        .select_related("user", "agency")
        .distinct()
        .order_by("role", "user__full_name", "user__email")
    )
