from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .permissions import can_manage_members
from .selectors import access_organisation, organisation_members


@require_safe
@login_required
def organisation_detail(request, org_number):
    organisation = access_organisation(user=request.user, org_number=org_number)
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "members": organisation_members(organisation=organisation),
            "can_manage": can_manage_members(request.user, organisation),
        },
    )
