"""The public catalogue: /ordninger/ (filters, search, htmx partial) and /ordninger/<slug>/."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from scheduling.selectors import watch_for_scheme

from ..models import CallStatus
from ..selectors import call_in_focus, effective_rules, scheme_catalogue, scheme_public_detail


def wants_partial(request) -> bool:
    """htmx asks for the results only; its history restore (Back after a filter) needs the page."""
    return request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def catalogue(request):
    result = scheme_catalogue(data=request.GET, page_number=request.GET.get("side"))
    context = {
        "filterset": result.filterset,
        "form": result.filterset.form,
        "page": result.page,
        "count": result.count,
        "now": result.now,
        "partial": wants_partial(request),
    }
    template = "schemes/_catalogue_results.html" if context["partial"] else "schemes/catalogue.html"
    return render(request, template, context)


@require_safe
def scheme_detail(request, slug):
    scheme = scheme_public_detail(slug=slug)
    now = timezone.now()
    calls = list(scheme.calls.all())
    for call in calls:
        call.current_status = call.status(now=now)
    focus = call_in_focus(calls=calls, now=now)
    rules = effective_rules(scheme=scheme, call=focus)
    context = {
        "scheme": scheme,
        "current_calls": sorted((c for c in calls if c.current_status != CallStatus.CLOSED), key=lambda c: c.closes_at),
        "past_calls": [c for c in calls if c.current_status == CallStatus.CLOSED],
        "focus": focus,
        "rules": [{"text": rule.describe(), "note": rule.note} for rule in rules.rules],
        "now": now,
        "watch": watch_for_scheme(user=request.user, scheme=scheme),  # no query for anonymous
    }
    return render(request, "schemes/scheme_detail.html", context)
