from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import staff_required
from portal.localized import localized
from portal.redirects import safe_next

from .engine import effect_retry
from .selectors import (
    access_effect_for_staff,
    access_watch,
    followable_schemes,
    followable_themes,
    notices_for_user,
    scheduler_overview,
    watch_targets_query,
    watches_for_user,
)
from .services import watch_follow, watch_unfollow


def _back(request, fallback: str):
    return redirect(safe_next(request, request.POST.get("next", ""), default=resolve_url(fallback)))


@require_safe
@login_required
def my_watches(request):
    watches = list(watches_for_user(user=request.user))
    followed_schemes = {w.scheme_id for w in watches if w.scheme_id}
    followed_themes = {w.theme_id for w in watches if w.theme_id}
    return render(
        request,
        "scheduling/my_watches.html",
        {
            "watches": watches,
            "schemes": [s for s in followable_schemes() if s.pk not in followed_schemes],
            "themes": [t for t in followable_themes() if t.pk not in followed_themes],
            "notices": notices_for_user(user=request.user),
        },
    )


@require_POST
@login_required
def follow(request):
    scheme, theme = watch_targets_query(
        scheme_slug=request.POST.get("scheme", ""), theme_slug=request.POST.get("theme", "")
    )
    if (scheme is None) == (theme is None):
        messages.error(request, _("Velg én ordning eller ett tema å følge."))
        return _back(request, "my-watches")
    watch_follow(user=request.user, scheme=scheme, theme=theme)
    name = localized(scheme or theme, "name")
    messages.success(request, _("Du følger nå %(name)s og får beskjed når en utlysning åpner.") % {"name": name})
    return _back(request, "my-watches")


@require_POST
@login_required
def unfollow(request, pk):
    watch = access_watch(user=request.user, pk=pk)
    name = localized(watch.scheme or watch.theme, "name")
    watch_unfollow(watch=watch)
    messages.success(request, _("Du følger ikke lenger %(name)s.") % {"name": name})
    return _back(request, "my-watches")


@require_safe
@staff_required
def staff_scheduler(request):
    return render(request, "scheduling/staff_scheduler.html", scheduler_overview(user=request.user, data=request.GET))


@staff_required  # first, so a session without two-factor is sent to the code step whatever the method
@require_POST
def staff_scheduler_retry(request, pk):
    effect = access_effect_for_staff(user=request.user, pk=pk)
    if effect_retry(effect=effect):
        messages.success(request, _("Hendelsen %(key)s blir prøvd igjen ved neste kjøring.") % {"key": effect.key})
    else:
        messages.info(request, _("Hendelsen %(key)s har ikke feilet og ble ikke endret.") % {"key": effect.key})
    return redirect("staff-scheduler")
