"""The eligibility check (/sjekk/): a GET form, so the address of a result can be shared."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from organisations.selectors import memberships_for_user

from ..check import (
    active_schemes_with_rules,
    call_with_rules,
    check_schemes,
    declarations_in,
    organisation_to_prefill,
    prefill_from,
)
from ..forms import EligibilityCheckForm


@require_safe
def eligibility_check(request):
    call_slug = request.GET.get("utlysning", "")
    if call_slug:
        target = call_with_rules(slug=call_slug)
        if target is None:
            raise Http404
        targets = [target]
    else:
        targets = active_schemes_with_rules()
    memberships = list(memberships_for_user(user=request.user)) if request.user.is_authenticated else []
    organisation = organisation_to_prefill(memberships=memberships, org_number=request.GET.get("organisasjon"))
    options = {
        "declarations": declarations_in(targets=targets),
        "for_one_call": bool(call_slug),
        "counts_known": organisation is not None,
    }
    submitted = EligibilityCheckForm.is_submitted(request.GET)
    if submitted:
        form = EligibilityCheckForm(request.GET, **options)
    else:
        # Prefilled only before the first submission: never over what the person typed.
        form = EligibilityCheckForm(initial=prefill_from(organisation) if organisation else {}, **options)
    result = (
        check_schemes(targets=targets, facts=form.facts(), organisation=organisation)
        if submitted and form.is_valid()
        else None
    )
    return render(
        request,
        "schemes/check.html",
        {
            "form": form,
            "result": result,
            "call": targets[0].call if call_slug else None,
            "call_slug": call_slug,
            "organisations": [membership.organisation for membership in memberships],
            "prefilled_from": None if submitted else organisation,
        },
    )
