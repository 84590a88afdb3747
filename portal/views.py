import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

from accounts.services import user_set_language

from .faults import saved_state
from .health import health_report, readiness_report
from .language import is_supported
from .localized import localized
from .models import AccessibilityDeviation, AccessibilityReview


@require_safe
def home(request):
    return render(request, "portal/home.html")


@require_safe
def accessibility_statement(request):
    """The statement the regulation asks for (as in Uutilsynet's uustatus): conformance status,
    the known deviations admins record, the last test and how it was done, where to give feedback
    and where to complain. Two queries."""
    deviations = [
        {
            "criterion": deviation.criterion,
            "where": localized(deviation, "where"),
            "description": localized(deviation, "description"),
            "fixed_by": deviation.fixed_by,
        }
        for deviation in AccessibilityDeviation.objects.filter(fixed=False)
    ]
    review = AccessibilityReview.objects.first()
    return render(
        request,
        "portal/accessibility_statement.html",
        {
            "deviations": deviations,
            "review": review,
            "review_method": localized(review, "method") if review else "",
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        },
    )


@never_cache
@require_safe
def healthz(request):
    ok, checks = health_report()
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


@never_cache
@require_safe
def healthz_live(request):
    """Liveness: this process answers. Asks nothing of the database, the broker or a worker, so a
    fault outside the process never gets it restarted."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def healthz_ready(request):
    """Readiness: this web node can serve, which needs its database – not the broker or a worker
    (pages serve while Redis restarts; what a worker does is caught up by the sweep)."""
    ok, checks = readiness_report()
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


@require_safe
def favicon(request):
    """Pages without our <link rel="icon"> (the admin, files opened directly) still get the icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def set_language(request):
    """The language switcher: Django's set_language (sets the cookie, redirects back; no JavaScript
    needed), and for a logged-in person the choice is also stored on their account, so it follows
    them to other browsers and into the e-mail they get (see portal.middleware.LocaleMiddleware).
    """
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and is_supported(language):
        user_set_language(user=request.user, language=language)
    return response


# Seconds a client (and a load balancer) is asked to wait when the database does not answer.
DATABASE_RETRY_AFTER = 30


def server_error(request):
    """handler500: the portal's own page, rendered without the session or the database (either
    may be what failed). When the database did not answer, 503 with Retry-After and a page saying
    so. A request that may write is told whether it stored anything (portal/faults.py): «not
    saved» only when no write of it committed, «saved» when one did; a request the middleware did
    not see is asked to look before sending again."""
    _kind, error, _traceback = sys.exc_info()
    context = {"saved": saved_state(request)}
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponseServerError(loader.render_to_string("503.html", context))
        response.status_code = 503
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html", context))
