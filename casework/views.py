from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.decorators import staff_required

from .selectors import access_scheme_for_staff, scheme_staff, schemes_handled_by, staff_roles_for_user


@require_safe
@staff_required
def staff_home(request):
    """The start page of saksbehandling: my roles and the schemes I handle (the work queue comes here)."""
    return render(
        request,
        "casework/staff_home.html",
        {"roles": staff_roles_for_user(user=request.user), "schemes": schemes_handled_by(user=request.user)},
    )


@require_safe
@staff_required
def scheme_overview(request, slug):
    scheme = access_scheme_for_staff(user=request.user, slug=slug)
    return render(request, "casework/scheme_overview.html", {"scheme": scheme, "staff": scheme_staff(scheme=scheme)})
