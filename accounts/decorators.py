from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .permissions import is_agency_staff, is_two_factor_verified
from .selectors import has_two_factor_device

STAFF_ONLY = _(
    "Sidene for saksbehandling er bare for saksbehandlere, fageksperter og administratorer hos virksomhetene "
    "som forvalter ordningene. Trenger du tilgang, kontakt administratoren for ordningen hos virksomheten din."
)


def staff_required(view):
    """For every staff page (/saksbehandling/…): a logged-in person with a staff role, in a session
    verified with a second factor.

    Anonymous → the login page; logged in without a staff role → 403 with an explanation; staff
    not yet verified → the code step, or setting up two-factor when they have no device (with a
    message saying why). The page itself is not run until then.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_agency_staff(request.user):
            raise PermissionDenied(STAFF_ONLY)
        if not is_two_factor_verified(request.user):
            from .two_factor_views import redirect_to_two_factor

            return redirect_to_two_factor(
                request, next_url=request.get_full_path(), has_device=has_two_factor_device(user=request.user)
            )
        return view(request, *args, **kwargs)

    return wrapper
