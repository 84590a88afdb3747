"""Who is agency staff, which schemes they handle, and rules about logging in. Plain functions,
used by views, templates and services alike. Organisation membership rules live in
organisations/permissions.py.

The roles are read once per request and cached on the user object.
"""

from dataclasses import dataclass

from django.db.models import F

from .models import StaffRole


@dataclass(frozen=True)
class StaffAccess:
    roles: frozenset[str]
    handled_scheme_ids: frozenset[int]  # schemes the person handles as saksbehandler or administrator
    all_schemes: bool  # a superuser handles every scheme
    role_rows: tuple = ()  # the StaffRole rows, with their agency loaded, for pages that list them
    admin_agency_ids: frozenset[int] = frozenset()  # agencies the person is administrator of


NO_ACCESS = StaffAccess(frozenset(), frozenset(), False)


def staff_access(user) -> StaffAccess:
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_staff_access", None)
    if cached is not None:
        return cached
    from schemes.models import Scheme

    # One query: each role with its agency, once per scheme it is given (LEFT JOIN, so a role
    # without schemes is one row with ``scheme_id`` None); the rows are folded into one per role.
    roles = {}
    handled = set()
    for row in (
        StaffRole.objects.filter(user=user)
        .select_related("agency")
        .annotate(scheme_id=F("schemes__id"))
        .order_by("role", "pk")
    ):
        roles.setdefault(row.pk, row)
        if row.role == StaffRole.Role.OFFICER and row.scheme_id is not None:
            handled.add(row.scheme_id)
    roles = list(roles.values())
    admin_agencies = [r.agency_id for r in roles if r.role == StaffRole.Role.ADMINISTRATOR]
    if admin_agencies:
        handled.update(Scheme.objects.filter(agencies__in=admin_agencies).values_list("pk", flat=True))
    access = StaffAccess(
        roles=frozenset(r.role for r in roles),
        handled_scheme_ids=frozenset(handled),
        all_schemes=user.is_superuser,
        role_rows=tuple(roles),
        admin_agency_ids=frozenset(admin_agencies),
    )
    user._staff_access = access
    return access


def is_agency_staff(user) -> bool:
    """Saksbehandler, fagekspert or administrator at an agency, or a superuser."""
    access = staff_access(user)
    return bool(access.roles) or access.all_schemes


def requires_two_factor(user) -> bool:
    """Every staff role, and anyone who may use the admin, must pass two-factor authentication."""
    return user.is_authenticated and (user.is_staff or user.is_superuser or is_agency_staff(user))


def is_reviewer(user) -> bool:
    return StaffRole.Role.REVIEWER in staff_access(user).roles


def can_handle_scheme(user, scheme) -> bool:
    """Saksbehandlere of the scheme, administrators of an agency running it, and superusers."""
    access = staff_access(user)
    return access.all_schemes or scheme.pk in access.handled_scheme_ids


def can_edit_scheme_rules(user, scheme) -> bool:
    """Superusers, and administrators of an agency running the scheme (not its saksbehandlere):
    the eligibility rules decide who may apply, so only the scheme's owners change them."""
    access = staff_access(user)
    if access.all_schemes:
        return True
    return bool(access.admin_agency_ids) and any(a.pk in access.admin_agency_ids for a in scheme.agencies.all())


# ID-porten's security levels (acr), lowest first (eIDAS low, substantial, high).
IDPORTEN_ACR_LEVELS = ("idporten-loa-low", "idporten-loa-substantial", "idporten-loa-high")
IDPORTEN_MINIMUM_ACR = "idporten-loa-substantial"


def idporten_acr_is_sufficient(acr) -> bool:
    """Whether an ID token's acr is at least substantial. A missing or unknown value is not."""
    if acr not in IDPORTEN_ACR_LEVELS:
        return False
    return IDPORTEN_ACR_LEVELS.index(acr) >= IDPORTEN_ACR_LEVELS.index(IDPORTEN_MINIMUM_ACR)


def can_log_in(user) -> bool:
    """A deactivated account cannot log in, by password or by ID-porten."""
    return user.is_active


def is_two_factor_verified(user) -> bool:
    """This session gave a code from a confirmed device (django-otp's OTPMiddleware knows)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and is_verified is not None and is_verified())


def may_turn_off_two_factor(user) -> bool:
    """Applicants choose for themselves; for staff it is part of the role."""
    return not requires_two_factor(user)


def two_factor_step_after_login(user, *, has_device: bool) -> str | None:
    """What follows a right password: "verify" (give a code), "setup" (staff without a device must
    set one up first) or None (straight in)."""
    if has_device:
        return "verify"
    if requires_two_factor(user):
        return "setup"
    return None


def enrolment_needs_email_code(user) -> bool:
    """Whoever's role requires two-factor also proves the account's mailbox when setting up a
    device (the first one, or a new one after an administrator deleted a lost one): otherwise
    whoever has only the password could enrol their own app and pass as fully verified. Applicants
    who turn it on by choice already get in with the password alone, so the mail adds nothing."""
    return requires_two_factor(user)
