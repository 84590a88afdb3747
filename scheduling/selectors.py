from django.http import Http404
from django.utils import timezone

from accounts.permissions import staff_access
from portal.models import Heartbeat
from schemes.models import Call, Scheme, Theme

from .models import EffectState, Notice, ScheduledEffect, Watch


# --- Watch lists and notices ---------------------------------------------------------------------
def watches_for_user(*, user):
    return Watch.objects.filter(user=user).select_related("scheme", "theme").order_by("created_at")


def watch_for_scheme(*, user, scheme: Scheme) -> Watch | None:
    if not user.is_authenticated:
        return None
    return Watch.objects.filter(user=user, scheme=scheme).first()


def access_watch(*, user, pk: int) -> Watch:
    """The person's own watch; anyone else's is a 404."""
    watch = Watch.objects.filter(user=user, pk=pk).first()
    if watch is None:
        raise Http404
    return watch


def followable_schemes():
    return Scheme.objects.filter(is_active=True).only("pk", "slug", "name", "name_nn", "name_en").order_by("name")


def followable_themes():
    return Theme.objects.only("pk", "slug", "name", "name_nn", "name_en").order_by("name")


def notices_for_user(*, user, limit: int = 20):
    return Notice.objects.filter(user=user).select_related("call__scheme").order_by("-created_at")[:limit]


# --- The staff page ----------------------------------------------------------------------------
def _visible_effects(*, user):
    """Rows about calls of the schemes the person handles; everything for a superuser."""
    access = staff_access(user)
    effects = ScheduledEffect.objects.all()
    if access.all_schemes:
        return effects
    calls = Call.objects.filter(scheme_id__in=access.handled_scheme_ids).values("pk")
    return effects.filter(target_type="call", target_id__in=calls)


def _with_calls(effects):
    calls = Call.objects.select_related("scheme").in_bulk(
        {e.target_id for e in effects if e.target_type == "call" and e.target_id}
    )
    for effect in effects:
        effect.call = calls.get(effect.target_id) if effect.target_type == "call" else None
    return effects


def scheduler_overview(*, user, limit: int = 50) -> dict:
    visible = _visible_effects(user=user)
    upcoming = list(visible.filter(state=EffectState.PENDING).order_by("due_at", "pk")[:limit])
    failed = list(visible.filter(state=EffectState.FAILED).order_by("-failed_at", "pk")[:limit])
    return {
        "now": timezone.now(),
        "last_tick": Heartbeat.objects.filter(name="beat").first(),
        "pending_count": visible.filter(state=EffectState.PENDING).count(),
        "running_count": visible.filter(state=EffectState.RUNNING).count(),
        "upcoming": _with_calls(upcoming),
        "failed": _with_calls(failed),
        "limit": limit,
    }


def access_effect_for_staff(*, user, pk: int) -> ScheduledEffect:
    """A row the person may act on (one about a call of a scheme they handle); otherwise 404."""
    effect = _visible_effects(user=user).filter(pk=pk).first()
    if effect is None:
        raise Http404
    return effect


def watch_targets_query(*, scheme_slug: str = "", theme_slug: str = "") -> tuple[Scheme | None, Theme | None]:
    scheme = Scheme.objects.filter(slug=scheme_slug, is_active=True).first() if scheme_slug else None
    theme = Theme.objects.filter(slug=theme_slug).first() if theme_slug else None
    return scheme, theme
