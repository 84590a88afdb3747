from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

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
    return (
        Notice.objects.filter(user=user).select_related("call__scheme", "application").order_by("-created_at")[:limit]
    )


# --- The staff page ----------------------------------------------------------------------------
def _visible_effects(*, user):
    """Rows about calls of the schemes the person handles; everything for a superuser."""
    access = staff_access(user)
    effects = ScheduledEffect.objects.all()
    if access.all_schemes:
        return effects
    from applications.models import Application
    from review.models import Offer, ProjectReport, ReviewAssignment

    schemes = access.handled_scheme_ids
    calls = Call.objects.filter(scheme_id__in=schemes).values("pk")
    applications = Application.objects.filter(call__scheme_id__in=schemes).values("pk")
    return effects.filter(
        Q(target_type="call", target_id__in=calls)
        | Q(target_type="application", target_id__in=applications)
        | Q(target_type="assignment", target_id__in=ReviewAssignment.objects.filter(
            application__call__scheme_id__in=schemes).values("pk"))
        | Q(target_type="offer", target_id__in=Offer.objects.filter(
            application__call__scheme_id__in=schemes).values("pk"))
        | Q(target_type="report", target_id__in=ProjectReport.objects.filter(
            application__call__scheme_id__in=schemes).values("pk"))
    )  # fmt: skip


# What each kind is called on the staff page (the key stays beside it, for searching the admin).
KIND_LABELS = {
    "call-open": _("Utlysningen åpner"),
    "call-close": _("Søknadsfristen går ut"),
    "stage-close": _("Fristen for et trinn går ut"),
    "watch-notify": _("Varsel til en som følger ordningen"),
    "draft-reminders": _("Påminnelser til søkere med utkast"),
    "draft-reminder": _("Påminnelse til en søker"),
    "deadline-summary": _("Melding til saksbehandler om fristen"),
    "application-receipt": _("Kvittering for innsendt søknad"),
    "application-approval-request": _("Forespørsel om godkjenning"),
    "decision-letter": _("Vedtaksbrev til søkeren"),
    "conflict-notice": _("Melding om inhabil fagekspert"),
    "offer-lapse": _("Tilbudet faller bort hvis det ikke er besvart"),
    "offer-reminder": _("Påminnelse om svar på tilbud"),
    "review-reminder": _("Påminnelse til fagekspert før fristen"),
    "review-overdue": _("Melding om forsinket fagvurdering"),
    "review-notice": _("Melding og e-post til én person"),
    "report-reminder": _("Påminnelse om prosjektrapport"),
    "report-overdue": _("Melding om forsinket prosjektrapport"),
}


def _offset_text(offset: str) -> str:
    amount, unit = int(offset[:-1]), offset[-1]
    if unit == "d":
        return ngettext("%(n)s dag", "%(n)s dager", amount) % {"n": amount}
    return ngettext("%(n)s time", "%(n)s timer", amount) % {"n": amount}


def effect_label(effect: ScheduledEffect) -> str:
    label = str(KIND_LABELS.get(effect.kind, effect.kind))
    offset = (effect.payload or {}).get("offset")
    if offset and offset[:-1].isdigit() and offset[-1:] in ("d", "h"):
        return gettext("%(label)s, %(offset)s før fristen") % {"label": label, "offset": _offset_text(offset)}
    return label


def _with_calls(effects):
    calls = Call.objects.select_related("scheme").in_bulk(
        {e.target_id for e in effects if e.target_type == "call" and e.target_id}
    )
    for effect in effects:
        effect.call = calls.get(effect.target_id) if effect.target_type == "call" else None
        effect.label = effect_label(effect)
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
