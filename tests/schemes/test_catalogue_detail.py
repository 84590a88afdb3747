"""/ordninger/<slug>/: calls with Oslo times and countdowns, money, stages, rules in plain words, criteria."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from schemes.eligibility import rules_from_json
from schemes.models import CallStage, SustainableDevelopmentGoal, Theme
from schemes.services import ruleset_update
from schemes.templatetags.catalogue import time_left, time_until
from tests.factories import AgencyFactory, AssessmentCriterionFactory, CallFactory, SchemeFactory
from tests.schemes.helpers import set_applicant_kinds

pytestmark = pytest.mark.django_db


def detail(client, scheme, **kwargs):
    return client.get(reverse("scheme-detail", args=[scheme.slug]), **kwargs)


def test_unknown_slug_is_404(client):
    assert client.get(reverse("scheme-detail", args=["finnes-ikke"])).status_code == 404


@time_machine.travel(datetime(2026, 11, 19, 12, 0, tzinfo=UTC), tick=False)
def test_a_call_with_oslo_times_countdown_money_and_stages(client):
    agency = AgencyFactory(name="Forskningsrådet")
    scheme = SchemeFactory(
        name="Innovasjonsprosjekt i offentlig sektor", agencies=[agency], url="https://example.no/ipo"
    )
    call = CallFactory(
        scheme=scheme, title="Utlysning 2026",
        opens_at=datetime(2026, 9, 1, 10, 0, tzinfo=UTC),
        closes_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC),  # 13:00 in Oslo (CET)
        budget=75_000_000, min_amount=500_000, max_amount=12_000_000,
        own_funding_min_percent=50, max_duration_months=36,
    )  # fmt: skip
    CallStage.objects.create(call=call, order=1, kind=CallStage.Kind.SKETCH)
    CallStage.objects.create(call=call, order=2, kind=CallStage.Kind.FULL)
    response = detail(client, scheme)
    text = response.text
    assert response.status_code == 200
    assert "22.11.2026 kl. 13:00" in text
    assert "01.09.2026 kl. 12:00" in text
    assert "3 dager igjen" in text
    assert "75\xa0000\xa0000 kr" in text
    assert "500\xa0000 kr – 12\xa0000\xa0000 kr" in text
    assert "minst 50 %" in text
    assert "36 måneder" in text
    assert text.index("Skisse") < text.index("Hovedsøknad")
    assert f'href="{reverse("scheme-catalogue")}?forvalter={agency.org_number}"' in text
    assert 'href="https://example.no/ipo"' in text


def test_countdown_in_days_hours_and_minutes():
    now = timezone.now()
    assert time_left(now + timedelta(days=3, hours=2), now=now) == "3 dager igjen"
    assert time_left(now + timedelta(days=1, hours=23), now=now) == "1 dag igjen"
    assert time_left(now + timedelta(hours=2, minutes=59), now=now) == "2 timer igjen"
    assert time_left(now + timedelta(hours=1), now=now) == "1 time igjen"
    assert time_left(now + timedelta(minutes=20), now=now) == "under én time igjen"
    assert time_left(now - timedelta(seconds=1), now=now) == "fristen er ute"
    assert time_until(now + timedelta(days=5), now=now) == "åpner om 5 dager"


def test_the_rules_of_the_open_call_in_plain_words(client):
    scheme = SchemeFactory()
    ruleset_update(
        scheme=scheme, by_user=None, reason="Oppstart",
        rules=rules_from_json(data=[
            {"type": "applicant-kind", "params": {"kinds": ["kommune", "statlig"]}},
            {"type": "own-funding-share", "params": {"minimum": "50"},
             "note": {"nb": "Egenfinansieringen er normalt minst 50 prosent."}},
        ]),
    )  # fmt: skip
    call = CallFactory(scheme=scheme, title="Åpen utlysning")
    ruleset_update(
        call=call, by_user=None, reason="Strengere i år", confirm_open_calls=True,
        rules=rules_from_json(data=[{"type": "own-funding-share", "params": {"minimum": "60"}}]),
    )  # fmt: skip
    text = detail(client, scheme).text
    assert "Ordningen er åpen for kommune og statlig virksomhet." in text
    assert "Egenfinansieringen må være minst 60 %." in text  # the call's override
    assert "Kravene som gjelder for utlysningen «Åpen utlysning»" in text


def test_criteria_with_scale_labels_and_weights(client):
    call = CallFactory()
    AssessmentCriterionFactory(call=call, name="Forskning og innovasjon", weight=40,
                               scale_labels={"7": "Fremragende", "1": "Dårlig"})  # fmt: skip
    AssessmentCriterionFactory(call=call, name="Gjennomføring", weight=60)
    text = detail(client, call.scheme).text
    assert "Forskning og innovasjon" in text
    assert "1 til 7" in text
    assert text.index("7: Fremragende") < text.index("1: Dårlig")
    assert "40 %" in text and "60 %" in text


def test_themes_sdgs_archived_and_past_calls(client):
    scheme = SchemeFactory(name="StartOff", is_active=False)
    scheme.themes.add(Theme.objects.create(slug="innkjop", name="Innkjøp", name_en="Procurement"))
    scheme.sdgs.add(SustainableDevelopmentGoal.objects.get(number=9))
    now = timezone.now()
    CallFactory(
        scheme=scheme, title="StartOff 2023", opens_at=now - timedelta(days=400), closes_at=now - timedelta(days=300)
    )
    text = detail(client, scheme).text
    assert "Ordningen er arkivert" in text
    assert "Innkjøp" in text and "9. " in text
    assert "StartOff 2023" in text and "Tidligere utlysninger" in text
    assert "Ingen åpne eller kommende utlysninger nå." in text


def test_texts_from_the_database_in_the_chosen_language(client):
    scheme = SchemeFactory(name="Offentlig sektor-ph.d.", name_nn="Offentleg sektor-ph.d.", name_en="Public sector PhD")
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        assert "Public sector PhD" in detail(client, scheme).text
    client.cookies["django_language"] = "nn"
    assert "Offentleg sektor-ph.d." in detail(client, scheme).text


def test_detail_query_count(client, django_assert_max_num_queries):
    scheme = SchemeFactory(agencies=[AgencyFactory(), AgencyFactory()])
    scheme.themes.set([Theme.objects.create(slug=f"t{n}", name=f"T{n}") for n in range(3)])
    scheme.sdgs.set(SustainableDevelopmentGoal.objects.all()[:5])
    set_applicant_kinds(scheme, "kommune")
    now = timezone.now()
    for number in range(12):
        call = CallFactory(
            scheme=scheme, opens_at=now - timedelta(days=100 - number), closes_at=now + timedelta(days=number - 5)
        )
        for order in (1, 2):
            CallStage.objects.create(call=call, order=order, kind=CallStage.Kind.SKETCH)
        for _ in range(3):
            AssessmentCriterionFactory(call=call, weight=33)
    # scheme, agencies, themes, sdgs, calls, stages, criteria, scheme rules, call rules
    with django_assert_max_num_queries(9):
        assert detail(client, scheme).status_code == 200
