"""/sjekk/: every active scheme ranked with each rule's verdict, reason and version; prefilled for members."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CallFactory, MembershipFactory, OrganisationFactory, SchemeFactory, UserFactory
from tests.html import by_role, field_value, has_link, parse, select, texts, visible_text

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


def _scheme_order(html) -> list[str]:
    return texts(html, ".portal-check__scheme h4")


def _verdicts(html) -> list[str]:
    return [scheme.get("data-verdict") for scheme in select(html, ".portal-check__scheme")]


def _hidden_value(html, name: str) -> list[str]:
    return [i.get("value") for i in select(html, f"input[type=hidden][name={name}]")]


VIRKSOMHET = "Hva slags virksomhet søker?"
ANDEL = "Hvor stor del av virksomheten er offentlig finansiert (prosent)?"


def test_the_url_is_named_and_the_empty_form_shows_no_result(client):
    assert reverse("eligibility-check") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = parse(response)
    assert by_role(html, "heading", "Sjekk hva dere kan søke på", level=1)
    assert not by_role(html, "heading", "Resultat")
    assert [form.get("method") for form in select(html, "main form")] == ["get"]


def test_the_schemes_are_ranked_eligible_then_need_more_information_then_not_eligible(client):
    preset_schemes()
    response = _get(client, MUNICIPALITY)
    html = parse(response)
    assert _scheme_order(html) == [
        # need more information, fewest unknowns first, then by name. One each: the stage (PCP), the
        # officer's judgement (the research partner's approval), the declaration (OPS, StimuLab) …
        "Førkommersielle anskaffelser",
        "Innovasjonsprosjekt i offentlig sektor",
        "Offentlig-privat samarbeid",
        "StimuLab",
        # … two: procurement law (the officer's) and the declaration; three and more: the ph.d. candidate
        "Innovasjonspartnerskap",
        "Offentlig sektor-ph.d.",
        # not eligible (not a research organisation)
        "Kompetanseprosjekt for offentlig sektor",
    ]
    assert _verdicts(html) == ["need-more-information"] * 6 + ["not-eligible"]
    assert "StartOff" not in visible_text(html)  # archived
    assert texts(html, ".portal-check__summary li") == [
        "0 ordninger passer", "6 ordninger trenger flere opplysninger", "1 ordning passer ikke",
    ]  # fmt: skip


def test_each_rule_shows_its_status_reason_note_version_and_the_scheme_link(client):
    schemes = preset_schemes()
    phd = schemes["offentlig-sektor-phd"]
    set_rules(scheme=phd, rules=[{"type": "applicant-public-funding-share", "params": {"minimum": "80"},
                                  "note": {"nb": "Minst 80 prosent.", "en": "At least 80 per cent."}}])  # fmt: skip
    html = parse(_get(client, MUNICIPALITY | {"offentlig_andel": "70", "kandidat_doktorgrad": "ja"}))
    (phd_card,) = [card for card in select(html, ".portal-check__scheme") if texts(card, "h4") == [phd.name]]
    assert texts(phd_card, ".portal-check__rule") == [
        "✗ Ikke oppfylt: Søker må være minst 80 % offentlig finansiert, oppgitt 70 %. Minst 80 prosent.",
    ]
    text = visible_text(html)
    assert "Ikke oppfylt" in text and "Oppfylt" in text and "Ukjent" in text
    assert "Regelversjon 2" in text  # the ph.d. scheme's second version
    assert "Regelversjon 1, utlysningens tillegg versjon 1" in text  # scheme rules + the call's overrides
    assert has_link(phd_card, phd.name, href="/ordninger/offentlig-sektor-phd/")
    assert "Reglene gjelder utlysningen «Offentlig sektor-ph.d. 2026» (frist " in text
    client.cookies["django_language"] = "en"
    english = parse(_get(client, MUNICIPALITY | {"offentlig_andel": "70"}))
    assert english.get("lang") == "en"
    assert "At least 80 per cent." in visible_text(english)  # the administrator's note in English
    assert "Minst 80 prosent." not in visible_text(english)


def test_blank_answers_say_need_more_information_rather_than_guess(client):
    preset_schemes()
    html = parse(_get(client, dict.fromkeys(MUNICIPALITY, "")))
    assert set(_verdicts(html)) == {"need-more-information"}
    assert "Vi vet ikke ennå hva slags virksomhet søkeren er." in visible_text(html)


def test_declarations_are_checkboxes_with_their_statements_and_count_when_checked(client):
    preset_schemes()
    html = parse(client.get(URL))
    statement = "Prosjektet er forankret i toppledelsen i virksomheten."
    # one key, shared by two schemes
    assert [box.get("name") for box in by_role(html, "checkbox")] == ["erklaeringer"]
    assert field_value(html, statement) is None
    html = parse(_get(client, MUNICIPALITY | {"erklaeringer": "forankret-i-toppledelsen"}))
    assert field_value(html, statement) == "forankret-i-toppledelsen"
    assert f"Søkeren har bekreftet: «{statement}»" in visible_text(html)
    assert _scheme_order(html)[:2] == ["Offentlig-privat samarbeid", "StimuLab"]  # confirmed: nothing unknown


def test_bad_values_keep_what_was_typed_and_show_no_result(client):
    preset_schemes()
    response = _get(client, MUNICIPALITY | {"belop": "mange penger", "offentlig_andel": "150"})
    assert response.status_code == 200
    html = parse(response)
    text = visible_text(html)
    assert "Rett opp dette før du går videre:" in text
    assert "Skriv beløpet i kroner som et tall, for eksempel 1 250 000." in text
    assert "Prosenten kan ikke være mer enn 100." in text
    assert field_value(html, "Hvor mye vil dere søke om (kroner)?") == "mange penger"  # kept as typed
    assert field_value(html, ANDEL) == "150"
    assert not by_role(html, "heading", "Resultat")


def test_utlysning_limits_the_check_to_that_call(client):
    schemes = preset_schemes()
    response = _get(client, MUNICIPALITY, utlysning="innovasjonspartnerskap-2026")
    html = parse(response)
    assert _scheme_order(html) == ["Innovasjonspartnerskap"]
    assert _hidden_value(html, "utlysning") == ["innovasjonspartnerskap-2026"]  # kept on the next submission
    assert field_value(html, "Hvor mange søknader har virksomheten allerede sendt til denne utlysningen?") == ""
    # An upcoming call can be previewed too (the admin's preview link): it opens in a year.
    now = timezone.now()
    CallFactory(scheme=schemes["stimulab"], slug="stimulab-neste",
                opens_at=now + timedelta(days=365), closes_at=now + timedelta(days=395))  # fmt: skip
    assert _scheme_order(parse(_get(client, MUNICIPALITY, utlysning="stimulab-neste"))) == ["StimuLab"]
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
    html = parse(client.get(URL))
    assert field_value(html, VIRKSOMHET) == "helseforetak"
    assert field_value(html, ANDEL) == "87,5"
    assert "Svarene om virksomheten er fylt ut med det vi vet om" in visible_text(html)
    # Another organisation's number is ignored silently: still the member's own.
    html = parse(client.get(URL + f"?organisasjon={other.org_number}"))
    assert field_value(html, VIRKSOMHET) == "helseforetak" and "Ikke min" not in visible_text(html)
    # Once the form is sent, what the person typed stands.
    html = parse(_get(client, MUNICIPALITY | {"virksomhet": "", "offentlig_andel": ""}))
    assert field_value(html, VIRKSOMHET) == "" and field_value(html, ANDEL) == ""


def test_a_member_of_several_organisations_chooses_which_to_prefill_from(client):
    user = UserFactory()
    first = MembershipFactory(user=user, organisation=OrganisationFactory(name="A-etaten", kind="statlig")).organisation
    second = MembershipFactory(
        user=user, organisation=OrganisationFactory(name="B-foretaket", kind="helseforetak", public_funding_share=90)
    ).organisation
    client.force_login(user)
    html = parse(client.get(URL))
    assert field_value(html, "Fyll ut med opplysninger om") == first.org_number
    assert field_value(html, VIRKSOMHET) == "statlig"
    html = parse(client.get(URL + f"?organisasjon={second.org_number}"))
    assert field_value(html, "Fyll ut med opplysninger om") == second.org_number
    assert field_value(html, VIRKSOMHET) == "helseforetak" and field_value(html, ANDEL) == "90"


def test_an_anonymous_visitor_gets_an_empty_form(client):
    OrganisationFactory(kind="helseforetak")
    html = parse(client.get(URL))
    assert field_value(html, VIRKSOMHET) == ""
    assert field_value(html, ANDEL) == ""
    assert "fylt ut med det vi vet om" not in visible_text(html)


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
    assert len(_scheme_order(response)) == 40
    client.force_login(MembershipFactory().user)
    # + the session and the user, the memberships, the staff menu's roles, and saving the session (3)
    with django_assert_max_num_queries(10):
        client.get(URL)
