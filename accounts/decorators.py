from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .permissions import is_agency_staff


def staff_required(view):
    """For every staff page (/saksbehandling/…): a logged-in person with a staff role.

    Anonymous → the login page; logged in without a staff role → 403 with an explanation.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_agency_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
