from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import health_report


@require_safe
def home(request):
    return render(request, "portal/home.html")


@require_safe
def accessibility_statement(request):
    return render(request, "portal/accessibility_statement.html")


@never_cache
@require_safe
def healthz(request):
    ok, checks = health_report()
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


@require_safe
def favicon(request):
    """Pages without our <link rel="icon"> (the admin, files opened directly) still get the icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
