"""/sjekk/: every active scheme ranked with each rule's verdict, reason and version; prefilled for members."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.factories import CallFactory, MembershipFactory, OrganisationFactory, SchemeFactory, UserFactory

from .check_helpers import preset_schemes, set_rules

pytestmark = pytest.mark.django_db

URL = "/sjekk/"
MUNICIPALITY = {
    "virksomhet": "statlig", "offentlig_andel": "100", "egenfinansiering": "50", "belop": "1 250 000",
    "varighet": "24", "offentlige_partnere": "1", "forskningspartner": "ja", "bedriftspartner": "nei",
    "kandidat_fast_ansatt": "", "kandidat_doktorgrad": "", "soknader_i_aar": "0",
}  # fmt: skip


def _get(client, answers=None, **params):
    query = urlencode({**(answers or {}), **params}, doseq=True)
    return client.get(f"{URL}?{query}" if query else URL)


def _scheme_order(html: str) -> list[str]:
    return re.findall(r'<h4 class="ds-heading" data-size="sm">\s*<a class="ds-link" href="[^"]+">([^<]+)</a>', html)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _verdicts(html: str) -> list[str]:
    return re.findall(r'data-verdict="([a-z-]+)"', html)


def test_the_url_is_named_and_the_empty_form_shows_no_result(client):
    assert reverse("eligibility-check") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sjekk hva dere kan søke på" in html
    assert 'id="resultat"' not in html
    assert 'method="get"' in html


def test_the_schemes_are_ranked_eligible_then_need_more_information_then_not_eligible(client):
    preset_schemes()
    response = _get(client, MUNICIPALITY)
    html = response.content.decode()
    assert _scheme_order(html) == [
        # eligible, by name
        "Førkommersielle anskaffelser",
        "Innovasjonsprosjekt i offentlig sektor",
        "StimuLab",
        # need more information, fewest unknowns first (1: the declaration; 2: the ph.d. candidate)
        "Innovasjonspartnerskap",
        "Offentlig-privat samarbeid",
        "Offentlig sektor-ph.d.",
        # not eligible (not a research organisation)
        "Kompetanseprosjekt for offentlig sektor",
    ]
    assert _verdicts(html) == ["eligible"] * 3 + ["need-more-information"] * 3 + ["not-eligible"]
    assert "StartOff" not in html  # archived
    assert "3 ordninger passer" in html
    assert "3 ordninger trenger flere opplysninger" in html
    assert "1 ordning passer ikke" in html


def test_each_rule_shows_its_status_reason_note_version_and_the_scheme_link(client):
    schemes = preset_schemes()
    phd = schemes["offentlig-sektor-phd"]
    set_rules(scheme=phd, rules=[{"type": "applicant-public-funding-share", "params": {"minimum": "80"},
                                  "note": {"nb": "Minst 80 prosent.", "en": "At least 80 per cent."}}])  # fmt: skip
    html = _text(_get(client, MUNICIPALITY | {"offentlig_andel": "70", "kandidat_doktorgrad": "ja"}))
    assert "Søker må være minst 80 % offentlig finansiert, oppgitt 70 %." in html
    assert "Minst 80 prosent." in html
    assert "Ikke oppfylt" in html and "Oppfylt" in html and "Ukjent" in html
    assert "Regelversjon 2" in html  # the ph.d. scheme's second version
    assert "Regelversjon 1, utlysningens tillegg versjon 1" in html  # scheme rules + the call's overrides
    assert 'href="/ordninger/offentlig-sektor-phd/"' in html
    assert "Reglene gjelder utlysningen «Offentlig sektor-ph.d. 2026» (frist " in html
    client.cookies["django_language"] = "en"
    english = _get(client, MUNICIPALITY | {"offentlig_andel": "70"}).content.decode()
    assert '<html lang="en"' in english
    assert "At least 80 per cent." in english  # the administrator's note in English
    assert "Minst 80 prosent." not in english


def test_blank_answers_say_need_more_information_rather_than_guess(client):
    preset_schemes()
    html = _get(client, dict.fromkeys(MUNICIPALITY, "")).content.decode()
    assert set(_verdicts(html)) == {"need-more-information"}
    assert "Vi vet ikke ennå hva slags virksomhet søkeren er." in html


def test_declarations_are_checkboxes_with_their_statements_and_count_when_checked(client):
    preset_schemes()
    html = client.get(URL).content.decode()
    assert html.count('name="erklaeringer"') == 1  # one key, shared by two schemes
    assert "Prosjektet er forankret i toppledelsen i virksomheten." in html
    html = _get(client, MUNICIPALITY | {"erklaeringer": "forankret-i-toppledelsen"}).content.decode()
    assert "Søkeren har bekreftet: «Prosjektet er forankret i toppledelsen i virksomheten.»" in html
    assert _scheme_order(html)[:5] == [
        "Førkommersielle anskaffelser", "Innovasjonspartnerskap", "Innovasjonsprosjekt i offentlig sektor",
        "Offentlig-privat samarbeid", "StimuLab",
    ]  # fmt: skip


def test_bad_values_keep_what_was_typed_and_show_no_result(client):
    preset_schemes()
    response = _get(client, MUNICIPALITY | {"belop": "mange penger", "offentlig_andel": "150"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rett opp dette før du går videre:" in html
    assert "Skriv beløpet i kroner som et tall, for eksempel 1 250 000." in html
    assert "Prosenten kan ikke være mer enn 100." in html
    assert 'value="mange penger"' in html and 'value="150"' in html
    assert 'value="1 250 000"' not in html  # the amount typed was replaced by the bad one, kept as typed
    assert 'id="resultat"' not in html


def test_utlysning_limits_the_check_to_that_call(client):
    schemes = preset_schemes()
    response = _get(client, MUNICIPALITY, utlysning="innovasjonspartnerskap-2026")
    html = response.content.decode()
    assert _scheme_order(html) == ["Innovasjonspartnerskap"]
    assert 'name="utlysning" value="innovasjonspartnerskap-2026"' in html  # kept on the next submission
    assert 'name="soknader_utlysning"' in html
    # An upcoming call can be previewed too (the admin's preview link).
    upcoming = CallFactory(scheme=schemes["stimulab"], slug="stimulab-2027")
    upcoming.opens_at, upcoming.closes_at = upcoming.opens_at.replace(year=2027), upcoming.closes_at.replace(year=2027)
    upcoming.save()
    assert _scheme_order(_get(client, MUNICIPALITY, utlysning="stimulab-2027").content.decode()) == ["StimuLab"]
    assert client.get(URL + "?utlysning=finnes-ikke").status_code == 404
    archived_call = CallFactory(scheme=schemes["startoff"], slug="startoff-2023")
    assert client.get(URL + f"?utlysning={archived_call.slug}").status_code == 404


def test_archived_schemes_are_left_out(client):
    SchemeFactory(name="Aktiv")
    SchemeFactory(name="Arkivert", is_active=False)
    assert _scheme_order(_get(client, MUNICIPALITY).content.decode()) == ["Aktiv"]


def test_a_member_gets_the_form_prefilled_from_their_organisation(client):
    membership = MembershipFactory(organisation=OrganisationFactory(kind="helseforetak", public_funding_share=87.5))
    other = OrganisationFactory(kind="bedrift", public_funding_share=0, name="Ikke min")
    client.force_login(membership.user)
    html = client.get(URL).content.decode()
    assert '<option value="helseforetak" selected>' in html
    assert 'value="87,5"' in html
    assert "Svarene om virksomheten er fylt ut med det vi vet om" in html
    # Another organisation's number is ignored silently: still the member's own.
    html = client.get(URL + f"?organisasjon={other.org_number}").content.decode()
    assert '<option value="helseforetak" selected>' in html and "Ikke min" not in html
    # Once the form is sent, what the person typed stands.
    html = _get(client, MUNICIPALITY | {"virksomhet": "", "offentlig_andel": ""}).content.decode()
    assert '<option value="helseforetak" selected>' not in html and 'value="87,5"' not in html


def test_a_member_of_several_organisations_chooses_which_to_prefill_from(client):
    user = UserFactory()
    first = MembershipFactory(user=user, organisation=OrganisationFactory(name="A-etaten", kind="statlig")).organisation
    second = MembershipFactory(
        user=user, organisation=OrganisationFactory(name="B-foretaket", kind="helseforetak", public_funding_share=90)
    ).organisation
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert f'<option value="{first.org_number}" selected>' in html
    assert '<option value="statlig" selected>' in html
    html = client.get(URL + f"?organisasjon={second.org_number}").content.decode()
    assert f'<option value="{second.org_number}" selected>' in html
    assert '<option value="helseforetak" selected>' in html and 'value="90"' in html


def test_an_anonymous_visitor_gets_an_empty_form(client):
    OrganisationFactory(kind="helseforetak")
    html = client.get(URL).content.decode()
    assert '<option value="" selected>' in html
    assert "fylt ut med det vi vet om" not in html


def test_the_number_of_queries_is_pinned_with_forty_schemes(client, django_assert_max_num_queries):
    rules = [{"type": "applicant-kind", "params": {"kinds": ["kommune", "statlig"]}},
             {"type": "max-duration-months", "params": {"maximum": 36}}]  # fmt: skip
    for number in range(40):
        scheme = SchemeFactory()
        set_rules(scheme=scheme, rules=rules)
        if number % 2:
            set_rules(call=CallFactory(scheme=scheme), rules=[rules[1]])
    with django_assert_max_num_queries(3):
        response = _get(client, MUNICIPALITY)
    assert len(_scheme_order(response.content.decode())) == 40
    client.force_login(MembershipFactory().user)
    # + the session and the user, the memberships, the staff menu's roles, and saving the session (3)
    with django_assert_max_num_queries(10):
        client.get(URL)
