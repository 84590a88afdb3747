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


# Why a row was cancelled (the code stored by the service that cancelled it, review/deadlines.py).
CANCEL_REASONS = {
    "conflict": _("Fageksperten meldte seg inhabil"),
    "delivered": _("Vurderingen er levert"),
    "decided": _("Søknaden er avgjort"),
    "withdrawn": _("Søknaden er trukket"),
    "offer-answered": _("Tilbudet er besvart eller falt bort"),
}


def _review_models():
    from review.models import Offer, ProjectReport, ReviewAssignment  # above this app; read-only here

    return {"assignment": ReviewAssignment, "offer": Offer, "report": ProjectReport}


def effects_of_call(effects, *, call_id: int):
    """The rows about the call itself or about anything of one of its applications."""
    from applications.models import Application

    applications = Application.objects.filter(call_id=call_id).values("pk")
    condition = Q(target_type="call", target_id=call_id) | Q(target_type="application", target_id__in=applications)
    for target_type, model in _review_models().items():
        condition |= Q(target_type=target_type, target_id__in=model.objects.filter(
            application__call_id=call_id).values("pk"))  # fmt: skip
    condition |= Q(target_type="notice", target_id__in=Notice.objects.filter(call_id=call_id).values("pk"))
    return effects.filter(condition)


def _with_targets(effects):
    """Name each row's application (where it is about one) and call: one query per kind of target
    on the page (at most six), whatever the number of rows."""
    from applications.models import Application

    ids: dict[str, set[int]] = {}
    for effect in effects:
        if effect.target_id:
            ids.setdefault(effect.target_type, set()).add(effect.target_id)
    calls = Call.objects.select_related("scheme").in_bulk(ids.get("call", ()))
    application_fields = ("id", "reference", "title", "call__id", "call__slug", "call__title", "call__title_nn",
                          "call__title_en", "call__scheme__id", "call__scheme__name", "call__scheme__name_nn",
                          "call__scheme__name_en")  # fmt: skip
    applications = (
        Application.objects.select_related("call__scheme").only(*application_fields).in_bulk(ids.get("application", ()))
    )
    owners = {}  # (target type, id) → application
    for target_type, model in _review_models().items():
        if ids.get(target_type):
            rows = model.objects.select_related("application__call__scheme").only(
                "pk", *(f"application__{f}" for f in application_fields))  # fmt: skip
            owners.update({(target_type, pk): row.application for pk, row in rows.in_bulk(ids[target_type]).items()})
    notices = Notice.objects.select_related("call__scheme", "application").in_bulk(ids.get("notice", ()))
    for effect in effects:
        effect.application = effect.call = None
        if effect.target_type == "call":
            effect.call = calls.get(effect.target_id)
        elif effect.target_type == "application":
            effect.application = applications.get(effect.target_id)
        elif effect.target_type == "notice" and (notice := notices.get(effect.target_id)):
            effect.application, effect.call = notice.application, notice.call
        else:
            effect.application = owners.get((effect.target_type, effect.target_id))
        if effect.application is not None and effect.call is None:
            effect.call = effect.application.call
        effect.label = effect_label(effect)
        effect.cancel_text = CANCEL_REASONS.get(effect.cancel_reason, effect.cancel_reason)
    return effects


def scheduler_overview(*, user, data=None, limit: int = 50) -> dict:
    """The planner: the rows of the chosen state (waiting by default), narrowed by call and kind,
    each naming its application and call; and the failed rows (same call and kind), for a retry.
    An invalid value narrows nothing (the form says why)."""
    from .filters import EffectFilter

    visible = _visible_effects(user=user)
    filterset = EffectFilter(data, visible, user=user, kinds={k: str(v) for k, v in KIND_LABELS.items()})
    narrowed = filterset.qs if filterset.is_valid() else visible
    state = (filterset.form.cleaned_data.get("tilstand") if filterset.is_valid() else None) or EffectState.PENDING
    chosen = narrowed.filter(state=state)
    order = ("due_at", "pk") if state in (EffectState.PENDING, EffectState.RUNNING) else ("-due_at", "-pk")
    rows = list(chosen.order_by(*order)[:limit])
    failed = list(narrowed.filter(state=EffectState.FAILED).order_by("-failed_at", "pk")[:limit])
    _with_targets(rows + failed)
    return {
        "now": timezone.now(),
        "filterset": filterset,
        "state_label": EffectState(state).label,
        "last_tick": Heartbeat.objects.filter(name="beat").first(),
        "pending_count": visible.filter(state=EffectState.PENDING).count(),
        "running_count": visible.filter(state=EffectState.RUNNING).count(),
        "shown_count": len(rows) if len(rows) < limit else chosen.count(),
        "upcoming": rows,
        "failed": failed,
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
