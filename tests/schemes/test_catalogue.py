"""/ordninger/: each filter, search (Norwegian stemming and ranking on PostgreSQL), counts, bad input,
the htmx partial, and pinned query counts with enough rows to expose an N+1."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import OrganisationKind as K
from schemes.models import SchemeApplicantKind, SustainableDevelopmentGoal, Theme
from schemes.services import ruleset_update, scheme_applicant_kinds_refresh
from tests.factories import AgencyFactory, CallFactory, SchemeFactory
from tests.schemes.helpers import set_applicant_kinds

pytestmark = pytest.mark.django_db
URL = reverse("scheme-catalogue")


def names(response) -> list[str]:
    return [scheme.name for scheme in response.context["page"].object_list]


set_kinds = set_applicant_kinds


def test_lists_active_schemes_with_a_count(client):
    SchemeFactory(name="StimuLab")
    SchemeFactory(name="Innovasjonspartnerskap")
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Innovasjonspartnerskap", "StimuLab"]
    assert response.context["count"] == 2
    assert "2 ordninger" in response.text


def test_archived_schemes_only_when_asked_for_and_marked(client):
    SchemeFactory(name="StimuLab")
    SchemeFactory(name="StartOff", is_active=False)
    assert names(client.get(URL)) == ["StimuLab"]
    response = client.get(URL, {"arkiverte": "true"})
    assert names(response) == ["StimuLab", "StartOff"]
    assert "Arkivert" in response.text


def test_filter_by_agency(client):
    forskningsradet = AgencyFactory(name="Forskningsrådet")
    SchemeFactory(name="Offentlig sektor-ph.d.", agencies=[forskningsradet])
    SchemeFactory(name="StimuLab")
    assert names(client.get(URL, {"forvalter": forskningsradet.org_number})) == ["Offentlig sektor-ph.d."]


def test_filter_by_applicant_kind_from_the_rules_and_open_to_all_without_a_kind_rule(client):
    stimulab = SchemeFactory(name="StimuLab")
    set_kinds(stimulab, K.STATLIG, K.KOMMUNE)
    research = SchemeFactory(name="Kompetanseprosjekt")
    set_kinds(research, K.RESEARCH)
    SchemeFactory(name="Uten krav")  # no rules at all: open to every kind
    assert names(client.get(URL, {"soker": "kommune"})) == ["StimuLab", "Uten krav"]
    assert names(client.get(URL, {"soker": "forskning"})) == ["Kompetanseprosjekt", "Uten krav"]
    assert names(client.get(URL, {"soker": "bedrift"})) == ["Uten krav"]


def test_applicant_kinds_follow_rule_changes():
    scheme = SchemeFactory()
    set_kinds(scheme, K.KOMMUNE)
    assert set(SchemeApplicantKind.objects.filter(scheme=scheme).values_list("kind", flat=True)) == {"kommune"}
    set_kinds(scheme, K.STATLIG, K.FYLKESKOMMUNE)
    assert set(scheme.applicant_kinds.values_list("kind", flat=True)) == {"statlig", "fylkeskommune"}
    ruleset_update(scheme=scheme, rules=(), reason="Ingen krav", by_user=None)
    assert not scheme.applicant_kinds.exists()
    assert scheme_applicant_kinds_refresh(scheme=scheme) is None  # idempotent


def test_filter_by_theme_and_sdg(client):
    theme = Theme.objects.create(slug="klima", name="Klima og miljø")
    goal = SustainableDevelopmentGoal.objects.get(number=13)
    climate = SchemeFactory(name="Grønn")
    climate.themes.add(theme)
    climate.sdgs.add(goal)
    SchemeFactory(name="Annen")
    assert names(client.get(URL, {"tema": "klima"})) == ["Grønn"]
    assert names(client.get(URL, {"baerekraftsmal": "13"})) == ["Grønn"]
    assert names(client.get(URL, {"baerekraftsmal": "3"})) == []


def test_filter_by_status_of_the_calls(client):
    now = timezone.now()
    CallFactory(scheme=SchemeFactory(name="Apen"))
    CallFactory(
        scheme=SchemeFactory(name="Kommende"), opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=40)
    )
    CallFactory(
        scheme=SchemeFactory(name="Stengt"), opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1)
    )
    both = SchemeFactory(name="Stengt og apen")
    CallFactory(scheme=both, opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1))
    CallFactory(scheme=both)
    assert names(client.get(URL, {"status": "apen"})) == ["Apen", "Stengt og apen"]
    assert names(client.get(URL, {"status": "kommende"})) == ["Kommende"]
    assert names(client.get(URL, {"status": "stengt"})) == ["Stengt"]  # nothing open or to come


def test_filter_by_amount_overlap_and_calls_without_amounts_match(client):
    CallFactory(scheme=SchemeFactory(name="Liten"), min_amount=50_000, max_amount=500_000)
    CallFactory(scheme=SchemeFactory(name="Stor"), min_amount=2_000_000, max_amount=10_000_000)
    CallFactory(scheme=SchemeFactory(name="StimuLab"), min_amount=None, max_amount=None)
    SchemeFactory(name="Uten utlysning")
    assert names(client.get(URL, {"belop_fra": "400 000", "belop_til": "1000000"})) == ["Liten", "StimuLab"]
    assert names(client.get(URL, {"belop_fra": "3000000"})) == ["StimuLab", "Stor"]
    assert names(client.get(URL, {"belop_til": "49999"})) == ["StimuLab"]
    # Read as the check and the application form read amounts (portal.numbers):
    assert names(client.get(URL, {"belop_fra": "3.000.000"})) == ["StimuLab", "Stor"]
    assert names(client.get(URL, {"belop_fra": "3 000 000 kr"})) == ["StimuLab", "Stor"]


def test_status_and_amount_are_judged_on_the_same_call(client):
    now = timezone.now()
    scheme = SchemeFactory(name="Ordning")
    CallFactory(scheme=scheme, opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=30),
                min_amount=5_000_000, max_amount=9_000_000)  # fmt: skip
    CallFactory(scheme=scheme, min_amount=100_000, max_amount=500_000)
    assert names(client.get(URL, {"status": "apen", "belop_fra": "5000000"})) == []
    assert names(client.get(URL, {"status": "apen", "belop_til": "200000"})) == ["Ordning"]


def test_combined_filters(client):
    agency = AgencyFactory()
    theme = Theme.objects.create(slug="helse", name="Helse")
    match = SchemeFactory(name="Treff", agencies=[agency])
    match.themes.add(theme)
    set_kinds(match, K.KOMMUNE)
    CallFactory(scheme=match)
    wrong_kind = SchemeFactory(name="Feil søker", agencies=[agency])
    wrong_kind.themes.add(theme)
    set_kinds(wrong_kind, K.STATLIG)
    CallFactory(scheme=wrong_kind)
    SchemeFactory(name="Feil forvalter").themes.add(theme)
    response = client.get(URL, {"forvalter": agency.org_number, "tema": "helse", "soker": "kommune", "status": "apen"})
    assert names(response) == ["Treff"]
    assert response.context["count"] == 1
    assert "1 ordning" in response.text


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"belop_fra": "-5"}, "belop_fra", "Beløpet kan ikke være negativt."),
        ({"belop_til": "10000000000000"}, "belop_til", "Beløpet kan være høyst 1\xa0000\xa0000\xa0000\xa0000 kr."),
        ({"belop_fra": "mange"}, "belop_fra", "Skriv beløpet som et tall i hele kroner, for eksempel 500 000."),
        ({"belop_fra": "NaN"}, "belop_fra", "Skriv beløpet som et tall i hele kroner, for eksempel 500 000."),
        ({"belop_fra": "1250000,50"}, "belop_fra", "Skriv beløpet som et tall i hele kroner, for eksempel 500 000."),
        ({"belop_fra": "5000", "belop_til": "10"}, "belop_til", "«Beløp til» kan ikke være mindre enn «beløp fra»."),
        ({"soker": "romvesen"}, "soker", "Velg et gyldig valg."),
        ({"tema": "finnes-ikke"}, "tema", "Velg et gyldig valg."),
        ({"forvalter": "123"}, "forvalter", "Velg et gyldig valg."),
        ({"status": "kanskje"}, "status", "Velg et gyldig valg."),
        ({"baerekraftsmal": "99"}, "baerekraftsmal", "Velg et gyldig valg."),
    ],
)
def test_bad_input_shows_a_norwegian_message_on_the_page_never_a_500(client, params, field, message):
    CallFactory(scheme=SchemeFactory(name="StimuLab"), min_amount=None, max_amount=None)  # matches any amount
    response = client.get(URL, params)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(error.startswith(message) for error in errors), errors
    assert "Rett opp dette" in response.text
    assert names(response) == ["StimuLab"]  # the bad filter is left out, the rest still works


def test_pagination_keeps_the_filters(client):
    for number in range(25):
        SchemeFactory(name=f"Ordning {number:02}")
    response = client.get(URL, {"q": "", "soker": "kommune"})
    assert len(names(response)) == 20
    assert response.context["count"] == 25
    assert "?q=&amp;soker=kommune&amp;side=2" in response.text
    assert names(client.get(URL, {"soker": "kommune", "side": "2"})) == [f"Ordning {n}" for n in range(20, 25)]
    assert len(names(client.get(URL, {"side": "tull"}))) == 20  # a bad page number shows the first page


def test_htmx_request_gets_only_the_results_and_the_response_varies_on_it(client):
    SchemeFactory(name="StimuLab")
    full = client.get(URL)
    assert "<html" in full.text
    assert "HX-Request" in full["Vary"]
    partial = client.get(URL, {"q": "Stimu"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    assert 'id="treff-status" hx-swap-oob="innerHTML"' in partial.text
    assert "HX-Request" in partial["Vary"]
    restore = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text  # Back after filtering needs the whole page


def test_subscription_links_carry_the_filters(client):
    response = client.get(URL, {"tema": "", "status": "apen"})
    assert 'href="webcal://testserver/kalender.ics?tema=&amp;status=apen"' in response.text


def test_header_links_to_the_catalogue(client):
    response = client.get(reverse("home"))
    assert f'href="{URL}"' in response.text


# --- search -------------------------------------------------------------------------------------
def test_search_uses_norwegian_stemming(client):
    SchemeFactory(name="Innovasjonspartnerskap")
    SchemeFactory(name="StimuLab")
    assert names(client.get(URL, {"q": "innovasjonspartnerskapet"})) == ["Innovasjonspartnerskap"]
    assert names(client.get(URL, {"q": "Innovasjonspartnerskapene"})) == ["Innovasjonspartnerskap"]


def test_search_ranks_a_name_match_above_a_call_description_match(client):
    only_in_call = SchemeFactory(name="Aaa ordning")  # first by name, so only the rank can lift the other
    CallFactory(scheme=only_in_call, description="Vi ser etter tjenestedesign i kommunene.")
    SchemeFactory(name="Tjenestedesign for alle")
    SchemeFactory(name="Noe helt annet")
    assert names(client.get(URL, {"q": "tjenestedesign"})) == ["Tjenestedesign for alle", "Aaa ordning"]


def test_search_ranks_name_above_short_description_above_call_title(client):
    CallFactory(scheme=SchemeFactory(name="A"), title="Utlysning om anskaffelser")
    SchemeFactory(name="B", short_description="Om anskaffelser i det offentlige")
    SchemeFactory(name="C anskaffelser")
    assert names(client.get(URL, {"q": "anskaffelse"})) == ["C anskaffelser", "B", "A"]


def test_search_finds_nynorsk_and_english_texts(client):
    SchemeFactory(name="Offentleg", name_en="Public sector PhD")
    assert names(client.get(URL, {"q": "PhD"})) == ["Offentleg"]


def test_search_with_odd_input_does_not_fail(client):
    SchemeFactory(name="StimuLab")
    for query in ['"', "-", "a & b | !c", "(((", "'; drop table", "stimulab OR"]:
        assert client.get(URL, {"q": query}).status_code == 200


def test_search_combines_with_filters(client):
    agency = AgencyFactory()
    SchemeFactory(name="Innovasjonspartnerskap", agencies=[agency])
    SchemeFactory(name="Innovasjonspartnerskap for andre")
    assert names(client.get(URL, {"q": "innovasjonspartnerskap", "forvalter": agency.org_number})) == [
        "Innovasjonspartnerskap"
    ]


# --- query counts -------------------------------------------------------------------------------
@pytest.fixture
def many_schemes():
    """60 schemes × 3 calls, each with two agencies, two themes and two goals."""
    agencies = [AgencyFactory() for _ in range(3)]
    themes = [Theme.objects.create(slug=f"tema-{n}", name=f"Tema {n}") for n in range(4)]
    goals = list(SustainableDevelopmentGoal.objects.all()[:4])
    now = timezone.now()
    for number in range(60):
        scheme = SchemeFactory(name=f"Innovasjon {number:02}", agencies=agencies[number % 3 :][:2] or agencies[:2])
        scheme.themes.set(themes[number % 3 :][:2])
        scheme.sdgs.set(goals[number % 3 :][:2])
        set_kinds(scheme, K.KOMMUNE, K.STATLIG)
        CallFactory(scheme=scheme, description="Tjenestedesign og innovasjon")
        CallFactory(scheme=scheme, opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=50))
        CallFactory(scheme=scheme, opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=2))
    return agencies


CATALOGUE_QUERIES = 8  # count, page, agencies, themes, calls + the form's agencies, themes, goals


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "innovasjon"}, {"q": "tjenestedesign", "soker": "kommune", "status": "apen", "belop_fra": "100000"}],
)
def test_catalogue_query_count_is_constant(client, many_schemes, django_assert_max_num_queries, params):
    with django_assert_max_num_queries(CATALOGUE_QUERIES):
        response = client.get(URL, {**params, "side": "2"})
    assert response.context["count"] == 60
    assert len(names(response)) == 20
