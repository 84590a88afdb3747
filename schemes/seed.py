"""Load the eight starting schemes with their owners, rules, calls and criteria (``seed_data``).

Safe to rerun: everything is keyed on slugs (criteria and stages on their order within the call),
so a rerun updates and never duplicates. Call dates are relative to ``now``, so the demo always has
open, upcoming and closed calls. Rules are written through ``ruleset_update`` — a new version only
when the stored rules differ from the preset.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from organisations.models import Organisation
from review.figures import call_figures_refresh
from scheduling.services import call_schedule

from . import services
from .eligibility import rules_to_json
from .eligibility.presets import preset_rules
from .models import AssessmentCriterion, Call, CallStage, RuleSetVersion, Scheme, SustainableDevelopmentGoal, Theme
from .reference import reference_data_load
from .seed_data import AGENCIES, SCHEMES, CallSeed, Moment, SchemeSeed

OSLO = ZoneInfo("Europe/Oslo")
SEED_REASON = "Startdata"


@transaction.atomic
def schemes_seed(*, now: datetime | None = None, by_user=None) -> dict[str, Scheme]:
    """Create or update the starting schemes; returns them by slug."""
    now = now or timezone.now()
    reference_data_load(goal_model=SustainableDevelopmentGoal, theme_model=Theme)  # normally there already
    agencies = _agencies_ensure()
    schemes = {}
    for seed in SCHEMES:
        scheme = _scheme_upsert(seed=seed, agencies=agencies)
        for call_seed in seed.calls:
            _call_upsert(scheme=scheme, seed=call_seed, now=now)
        services.scheme_search_refresh(scheme=scheme)
        _rules_seed(scheme=scheme, by_user=by_user)
        schemes[seed.slug] = scheme
    return schemes


def _agencies_ensure() -> dict[str, Organisation]:
    agencies = {}
    for number, name, kind in AGENCIES:
        org, _created = Organisation.objects.get_or_create(
            org_number=number,
            defaults={"name": name, "kind": kind, "public_funding_share": 100, "is_funding_agency": True},
        )
        if not org.is_funding_agency:
            org.is_funding_agency = True
            org.save(update_fields=["is_funding_agency"])
        agencies[number] = org
    return agencies


REFERENCE_CODES = {
    "stimulab": "STIM",
    "innovasjonspartnerskap": "IPS",
    "forkommersielle-anskaffelser": "PCP",
    "offentlig-sektor-phd": "OSPHD",
    "innovasjonsprosjekt-offentlig-sektor": "IPOS",
}


def _scheme_upsert(*, seed: SchemeSeed, agencies: dict[str, Organisation]) -> Scheme:
    scheme = Scheme.objects.filter(slug=seed.slug).first() or Scheme(slug=seed.slug)
    scheme.name, scheme.name_nn, scheme.name_en = seed.name
    scheme.short_description, scheme.short_description_nn, scheme.short_description_en = seed.short
    scheme.description, scheme.description_nn, scheme.description_en = seed.description
    scheme.instrument, scheme.is_active = seed.instrument, seed.is_active
    scheme.reference_code = REFERENCE_CODES.get(seed.slug, scheme.reference_code)
    scheme.full_clean(exclude=["agencies", "themes", "sdgs"])
    scheme.save()
    scheme.agencies.set([agencies[number] for number in seed.agencies])
    scheme.themes.set(Theme.objects.filter(slug__in=seed.themes))
    scheme.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=seed.sdgs))
    return scheme


def _moment(moment: Moment, *, now: datetime) -> datetime:
    if moment.fixed is not None:
        return moment.fixed
    day = timezone.localtime(now, OSLO).date() + timedelta(days=moment.days)
    return datetime.combine(day, time(moment.hour, moment.minute), tzinfo=OSLO)


def _call_upsert(*, scheme: Scheme, seed: CallSeed, now: datetime) -> Call:
    call = Call.objects.filter(slug=seed.slug).first() or Call(slug=seed.slug)
    call.scheme = scheme
    call.opens_at, call.closes_at = _moment(seed.opens, now=now), _moment(seed.closes, now=now)
    year = timezone.localtime(call.closes_at, OSLO).year
    call.title = f"{scheme.name} – utlysning {year}"
    call.title_nn = f"{scheme.name_nn} – utlysing {year}"
    call.title_en = f"{scheme.name_en} – call {year}"
    call.description, call.description_nn, call.description_en = seed.description
    call.budget, call.min_amount, call.max_amount = seed.budget, seed.min_amount, seed.max_amount
    call.own_funding_min_percent, call.max_duration_months = seed.own_funding_min_percent, seed.max_duration_months
    call.allows_early_drafts = seed.allows_early_drafts
    call.full_clean()
    call.save()
    call_schedule(call=call)

    for order, (kind, closes) in enumerate(seed.stages, start=1):
        CallStage.objects.update_or_create(
            call=call, order=order, defaults={"kind": kind, "closes_at": _moment(closes, now=now) if closes else None}
        )
    CallStage.objects.filter(call=call, order__gt=len(seed.stages)).delete()

    weights = dict(AssessmentCriterion.objects.filter(call=call).values_list("order", "weight"))
    for order, criterion in enumerate(seed.criteria, start=1):
        row = AssessmentCriterion.objects.filter(call=call, order=order).first() or AssessmentCriterion(
            call=call, order=order
        )
        row.name, row.name_nn, row.name_en = criterion.name
        row.description, row.description_nn, row.description_en = criterion.description
        row.scale_min, row.scale_max = criterion.scale
        row.scale_labels, row.weight = dict(criterion.labels), criterion.weight
        row.scale_labels_nn, row.scale_labels_en = dict(criterion.labels_nn), dict(criterion.labels_en)
        row.full_clean()
        row.save()
    AssessmentCriterion.objects.filter(call=call, order__gt=len(seed.criteria)).delete()
    if weights and weights != dict(AssessmentCriterion.objects.filter(call=call).values_list("order", "weight")):
        call_figures_refresh(call_id=call.pk)  # the stored weighted scores follow the new weights
    return call


def _rules_seed(*, scheme: Scheme, by_user) -> None:
    rules = preset_rules(scheme=scheme.slug)
    current = RuleSetVersion.objects.filter(scheme=scheme).order_by("-version").first()
    if current is not None and current.rules == rules_to_json(rules=rules):
        return
    # Seeding is a deliberate change by whoever loads the data, open calls or not.
    services.ruleset_update(scheme=scheme, rules=rules, reason=SEED_REASON, by_user=by_user, confirm_open_calls=True)
