"""The eight starting schemes: owners, rules, calls and criteria; rerunnable; dates relative to the day."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count, Sum

from schemes.eligibility import rules_to_json
from schemes.eligibility.presets import PRESETS, preset_rules
from schemes.models import AssessmentCriterion, Call, CallStage, RuleSetVersion, Scheme
from schemes.seed import schemes_seed
from schemes.seed_data import SCHEMES
from schemes.services import ruleset_update
from tests.factories import SuperuserFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2027, 3, 10, 8, 30, tzinfo=OSLO)


def _counts():
    return {model: model.objects.count() for model in (Scheme, Call, CallStage, AssessmentCriterion, RuleSetVersion)}


def test_seeding_twice_creates_nothing_twice_and_writes_the_rules_once():
    admin = SuperuserFactory()
    schemes_seed(now=NOW, by_user=admin)
    first = _counts()
    schemes_seed(now=NOW, by_user=admin)
    assert _counts() == first
    assert first[Scheme] == 8 and set(Scheme.objects.values_list("slug", flat=True)) == set(PRESETS)
    versions = RuleSetVersion.objects.all()
    assert versions.count() == 8
    assert {(v.version, v.reason, v.created_by) for v in versions} == {(1, "Startdata", admin)}


def test_a_later_run_moves_the_dates_and_a_changed_rule_set_gets_a_new_version():
    schemes_seed(now=NOW)
    scheme = Scheme.objects.get(slug="stimulab")
    ruleset_update(scheme=scheme, rules=[], reason="Tømt i demoen", by_user=None, confirm_open_calls=True)
    later = NOW.replace(year=2028)
    schemes_seed(now=later)
    assert Call.objects.get(slug="stimulab-hovedrunde").status(now=later) == "apen"
    assert Call.objects.get(slug="stimulab-hovedrunde").title == "StimuLab – utlysning 2028"
    assert list(scheme.rule_versions.order_by("version").values_list("version", "reason")) == [
        (1, "Startdata"), (2, "Tømt i demoen"), (3, "Startdata"),
    ]  # fmt: skip


def test_calls_are_open_upcoming_and_closed_relative_to_the_day_of_loading():
    with time_machine.travel(NOW, tick=False):
        schemes_seed()
        assert Call.objects.open().count() >= 3
        assert Call.objects.upcoming().count() >= 2
        assert Call.objects.closed().exclude(scheme__slug="startoff").count() >= 2
    later = datetime(2031, 1, 5, 23, 59, tzinfo=OSLO)
    with time_machine.travel(later, tick=False):
        schemes_seed()
        assert Call.objects.open().count() >= 3 and Call.objects.upcoming().count() >= 2
        assert Call.objects.count() == sum(len(seed.calls) for seed in SCHEMES)


def test_every_scheme_has_owners_texts_a_call_and_its_preset_rules_and_startoff_is_archived():
    schemes_seed(now=NOW)
    schemes = Scheme.objects.annotate(calls_count=Count("calls")).prefetch_related("agencies")
    for scheme in schemes:
        assert scheme.calls_count >= 1, scheme.slug
        assert scheme.agencies.exists() and all(a.is_funding_agency for a in scheme.agencies.all())
        assert all([scheme.name_nn, scheme.name_en, scheme.short_description_nn, scheme.short_description_en,
                    scheme.description, scheme.description_nn, scheme.description_en]), scheme.slug  # fmt: skip
        assert scheme.themes.exists() and scheme.sdgs.exists()
        version = scheme.rule_versions.get()
        assert version.rules == rules_to_json(rules=preset_rules(scheme=scheme.slug))
    startoff = Scheme.objects.get(slug="startoff")
    assert not startoff.is_active
    assert {a.org_number for a in startoff.agencies.all()} == {"986252932", "991825827"}
    assert [c.closes_at.astimezone(OSLO).year for c in startoff.calls.all()] == [2023]
    assert Scheme.objects.filter(is_active=False).count() == 1


def test_criteria_weights_sum_to_100_and_forskningsradet_scores_1_to_7_and_closes_at_13():
    schemes_seed(now=NOW)
    for call in Call.objects.annotate(total=Sum("criteria__weight"), n=Count("criteria")):
        assert call.n >= 1 and call.total == Decimal(100), call.slug
    nfr_calls = Call.objects.filter(scheme__agencies__org_number="970141669", scheme__slug__in=[
        "offentlig-sektor-phd", "innovasjonsprosjekt-offentlig-sektor", "forkommersielle-anskaffelser",
        "kompetanseprosjekt-offentlig-sektor",
    ]).distinct()  # fmt: skip
    assert nfr_calls.count() >= 4
    for call in nfr_calls:
        assert call.closes_at.astimezone(OSLO).strftime("%H:%M") == "13:00"
        if call.scheme.slug == "forkommersielle-anskaffelser":
            continue  # a PCP call states its own criteria (below)
        names = list(call.criteria.values_list("name", "scale_min", "scale_max"))
        assert names == [("Forskning og innovasjon", 1, 7), ("Virkninger og effekter", 1, 7), ("Gjennomføring", 1, 7)]
        labels = call.criteria.first().scale_labels
        assert (labels["7"], labels["4"], labels["1"]) == ("Fremragende", "Nokså god", "Dårlig")
        first = call.criteria.first()
        assert (first.scale_labels_nn["7"], first.scale_labels_nn["1"]) == ("Framifrå", "Dårleg")
        assert (first.scale_labels_en["7"], first.scale_labels_en["1"]) == ("Exceptional", "Poor")
    partnership = Call.objects.get(slug="innovasjonspartnerskap-runde")
    assert list(partnership.criteria.values_list("name", "weight")) == [
        ("Effekt", 25), ("Relevans", 25), ("Gjennomføringsevne", 25), ("Kunnskap", 25),
    ]  # fmt: skip
    assert list(partnership.stages.values_list("kind", flat=True)) == ["skisse", "hovedsoknad"]
    pcp = Call.objects.get(slug="forkommersielle-anskaffelser-runde")
    assert list(pcp.stages.values_list("kind", flat=True)) == ["forprosjekt", "hovedprosjekt"]
    assert list(pcp.criteria.values_list("name", "scale_min", "scale_max")) == [
        ("Behov og innovasjonshøyde", 1, 7), ("Markedsdialog og konkurranse", 1, 7),
        ("Virkninger og effekter", 1, 7), ("Gjennomføring", 1, 7),
    ]  # fmt: skip
    ops = Call.objects.get(slug="offentlig-privat-samarbeid-runde")
    assert list(ops.criteria.values_list("name", "weight")) == [
        ("Større samfunnsutfordring", 25), ("Gjennomføringsevne", 25),
        ("Verdiskapingspotensial for næringslivet", 25), ("Samarbeid", 25),
    ]  # fmt: skip
    stimulab = Call.objects.get(slug="stimulab-hovedrunde")
    assert stimulab.max_amount is None and "Forankring i ledelsen" in stimulab.criteria.values_list("name", flat=True)
