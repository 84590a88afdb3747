"""The rule editor in the admin: every rule with its type's own form, add and remove without
JavaScript, a required «why», a confirmed change while a call is open, and saving through
``ruleset_update`` as a new version."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.permissions import can_edit_scheme_rules
from schemes.eligibility import rule_types, rules_from_json
from schemes.eligibility.presets import PRESETS
from schemes.models import RuleSetVersion
from schemes.rule_history import describe_rule
from schemes.services import ruleset_update
from tests.factories import (
    AgencyFactory,
    CallFactory,
    SchemeFactory,
    StaffFactory,
    StaffRoleFactory,
    SuperuserFactory,
    _oslo_days_from_now,
)
from tests.otp import force_login_verified

from .admin_helpers import editor_post, editor_url

pytestmark = pytest.mark.django_db

PHD = PRESETS["offentlig-sektor-phd"]


def _scheme_with_rules(rules, *, admin=None, **kwargs):
    scheme = SchemeFactory(**kwargs)
    ruleset_update(scheme=scheme, rules=rules_from_json(data=rules), reason="Startdata", by_user=admin)
    return scheme


def test_the_editor_shows_each_rule_with_its_own_form_and_offers_every_rule_type(client):
    force_login_verified(client, SuperuserFactory())
    scheme = _scheme_with_rules(PHD)
    change_page = client.get(f"/admin/schemes/scheme/{scheme.pk}/change/").text
    assert editor_url(scheme) in change_page and editor_url(scheme, history=True) in change_page

    response = client.get(editor_url(scheme))
    assert response.status_code == 200
    page = response.text
    assert "Rediger reglene for" in page and "versjon 1" in page
    assert 'name="rule-0-p-minimum" value="80"' in page  # the public funding share's own form
    assert 'name="rule-4-p-maximum" value="2"' in page and 'name="rule-4-note_nb"' in page
    assert "Normalt høyst to nye kandidater per arbeidsgiver per kalenderår." in page
    for rule_type in rule_types():
        assert f'<option value="{rule_type.key}">' in page
    assert "Advarsel: utlysningen er åpen" not in page
    assert 'name="confirm_open_calls"' not in page


def test_adding_a_rule_keeps_everything_typed_and_saves_nothing(client):
    force_login_verified(client, SuperuserFactory())
    scheme = _scheme_with_rules(PHD[:1])
    data = editor_post(
        [{"type": "applicant-public-funding-share", "params": {"minimum": "75,5"}, "note": {"nb": "Skrevet nå"}}],
        reason="Halvskrevet grunn",
        add="applicant-kind",
    )
    response = client.post(editor_url(scheme), data)
    assert response.status_code == 200
    page = response.text
    assert 'value="75,5"' in page and "Skrevet nå" in page and "Halvskrevet grunn" in page
    assert "Regel 2: Søker er en bestemt type virksomhet" in page
    assert 'name="rule-1-p-kinds"' in page and 'name="rules-TOTAL" value="2"' in page
    assert "errorlist" not in page  # nothing is judged until the person saves
    assert RuleSetVersion.objects.count() == 1


def test_bad_parameters_show_the_rule_form_s_norwegian_errors_and_lose_nothing(client):
    force_login_verified(client, SuperuserFactory())
    scheme = _scheme_with_rules(PHD[:1])
    data = editor_post(
        [
            {"type": "applicant-public-funding-share", "params": {"minimum": "180"}},
            {"type": "requested-amount", "params": {"minimum": "500000", "maximum": "100000"}},
            {"type": "applicant-kind", "params": {}},
            {"type": "max-duration-months", "params": {"maximum": "36"}, "note": {"nn": "Berre nynorsk"}},
            {"type": "max-applications", "params": {"maximum": "0", "period": "year"}, "delete": True},
        ],
        reason="Strammer inn",
    )
    response = client.post(editor_url(scheme), data)
    assert response.status_code == 200
    page = response.text
    assert "Rett feilene nedenfor" in page and "<title>Feil:" in page
    assert "mindre enn eller lik 100" in page  # Django's own bokmål message
    assert "Største beløp kan ikke være mindre enn minste beløp." in page
    assert "Velg minst én type virksomhet." in page
    assert "Skriv merknaden på bokmål også" in page
    assert "større enn eller lik 1" not in page  # the removed rule is not judged
    assert 'value="180"' in page and 'value="500000"' in page and "Berre nynorsk" in page and "Strammer inn" in page
    assert RuleSetVersion.objects.count() == 1


def test_saving_writes_a_new_version_with_who_and_why_and_removes_what_was_ticked(client):
    admin = SuperuserFactory()
    force_login_verified(client, admin)
    scheme = _scheme_with_rules(PHD)
    entries = [
        {"type": "applicant-public-funding-share", "params": {"minimum": "90"}},
        {"type": "candidate-permanently-employed", "delete": True},
        {"type": "candidate-without-doctorate"},
        {"type": "max-applications", "params": {"maximum": "2", "period": "year"},
         "note": {"nb": "Normalt høyst to.", "en": "Normally two at most."}},
        {"type": "declaration", "params": {"key": "ny"}, "delete": True},  # incomplete, but removed
    ]  # fmt: skip
    response = client.post(editor_url(scheme), editor_post(entries, reason="Høyere krav fra 2027"))
    assert response.status_code == 302
    assert response["Location"] == editor_url(scheme, history=True)
    version = RuleSetVersion.objects.get(scheme=scheme, version=2)
    assert (version.created_by, version.reason) == (admin, "Høyere krav fra 2027")
    assert [rule["type"] for rule in version.rules] == [
        "applicant-public-funding-share", "candidate-without-doctorate", "max-applications",
    ]  # fmt: skip
    assert version.rules[0]["params"] == {"minimum": "90"}
    assert version.rules[2]["note"] == {"nb": "Normalt høyst to.", "en": "Normally two at most."}

    history = client.get(response["Location"]).text
    assert "Reglene er lagret som versjon 2." in history
    assert "Høyere krav fra 2027" in history and "Startdata" in history
    assert "Fjernet: Kandidaten er fast ansatt hos søkeren" in history
    assert "Endret: Søker er offentlig finansiert med minst en viss andel" in history


def test_a_rule_is_hard_by_default_and_may_be_made_soft(client):
    force_login_verified(client, SuperuserFactory())
    scheme = _scheme_with_rules(PHD)
    assert "Normalt krav – søkeren kan begrunne avvik" in client.get(editor_url(scheme)).text
    entries = [{"type": "own-funding-share", "params": {"minimum": "50"}, "severity": "soft"},
               {"type": "candidate-without-doctorate"}]  # fmt: skip
    response = client.post(editor_url(scheme), editor_post(entries, reason="Normalt krav"))
    assert response.status_code == 302
    version = RuleSetVersion.objects.get(scheme=scheme, version=2)
    assert version.rules[0]["severity"] == "soft"
    assert "severity" not in version.rules[1]


def test_the_admin_reads_each_rule_in_the_words_applicants_read(client):
    force_login_verified(client, SuperuserFactory())
    scheme = _scheme_with_rules(PHD)
    call = CallFactory(scheme=scheme, opens_at=_oslo_days_from_now(5), closes_at=_oslo_days_from_now(40))
    applicant_texts = [escape(str(rule.describe())) for rule in rules_from_json(data=PHD)]
    public_page = client.get(reverse("scheme-detail", args=[scheme.slug])).text
    history = client.get(editor_url(scheme, history=True)).text
    call_editor = client.get(editor_url(call)).text  # the scheme's rules, beside the call's own
    for text in applicant_texts:
        assert text in public_page and text in history and text in call_editor
    assert "Søkeren må være minst 80 % offentlig finansiert." in history

    for language in ("nb", "nn", "en"):
        with translation.override(language):
            for data in PHD:
                assert str(describe_rule(data).text) == str(rules_from_json(data=[data])[0].describe())


def test_versions_no_rule_type_can_read_any_more_stay_readable(client):
    force_login_verified(client, SuperuserFactory())
    scheme = _scheme_with_rules(PHD[:1])
    old = [
        {"type": "finnes-ikke", "params": {"grense": 7}},
        {"type": "max-duration-months", "params": {"maximum": "tretti"}, "note": {"nb": "Gammel merknad"}},
    ]
    RuleSetVersion.objects.create(scheme=scheme, version=2, rules=old, reason="Gammel versjon")
    history = client.get(editor_url(scheme, history=True)).text
    assert "Ukjent regeltype «finnes-ikke»" in history and "grense" in history
    assert "Lagt til: Prosjektet varer ikke lenger enn et visst antall måneder" in history
    assert "tretti" in history and "Gammel merknad" in history
    assert "Fjernet: Søker er offentlig finansiert med minst en viss andel" in history


def test_a_reason_is_required_and_an_unchanged_set_is_not_saved(client):
    force_login_verified(client, SuperuserFactory())
    scheme = _scheme_with_rules(PHD[:1])
    same = [{"type": "applicant-public-funding-share", "params": {"minimum": "80"}}]
    response = client.post(editor_url(scheme), editor_post(same, reason="   "))
    assert "Skriv hvorfor reglene endres. Det vises i historikken." in response.text
    response = client.post(editor_url(scheme), editor_post(same, reason="Ingen endring"))
    assert "Reglene er ikke endret." in response.text
    assert RuleSetVersion.objects.count() == 1


def test_two_rules_of_the_same_kind_are_refused(client):
    force_login_verified(client, SuperuserFactory())
    scheme = SchemeFactory()
    twice = [{"type": "applicant-kind", "params": {"kinds": ["kommune"]}}] * 2
    response = client.post(editor_url(scheme), editor_post(twice, reason="Dobbelt"))
    assert "Regelen står allerede lenger opp (regel 1)." in response.text
    assert not RuleSetVersion.objects.exists()


def test_an_open_call_shows_a_warning_and_the_change_must_be_confirmed(client):
    admin = SuperuserFactory()
    force_login_verified(client, admin)
    call = CallFactory(title="Runde 2026")
    scheme = call.scheme
    page = client.get(editor_url(scheme)).text
    assert "Advarsel: utlysningen er åpen" in page and "Runde 2026, frist" in page
    assert 'name="confirm_open_calls"' in page

    rules = [{"type": "applicant-kind", "params": {"kinds": ["kommune"]}}]
    response = client.post(editor_url(scheme), editor_post(rules, reason="Bare kommuner"))
    assert response.status_code == 200
    assert "Utlysningen er åpen nå (Runde 2026)." in response.text
    assert not RuleSetVersion.objects.exists()

    response = client.post(editor_url(scheme), editor_post(rules, reason="Bare kommuner", confirm=True))
    assert response.status_code == 302
    assert RuleSetVersion.objects.get().created_by == admin


def test_a_call_s_own_rules_are_edited_beside_the_scheme_s(client):
    force_login_verified(client, SuperuserFactory())
    scheme = _scheme_with_rules(PRESETS["innovasjonspartnerskap"])
    call = CallFactory(scheme=scheme, opens_at=_oslo_days_from_now(5), closes_at=_oslo_days_from_now(40))
    page = client.get(editor_url(call)).text
    assert "Regler fra ordningen" in page and "Søkeren bekrefter en erklæring" in page
    rules = [{"type": "max-duration-months", "params": {"maximum": "24"}}]
    response = client.post(editor_url(call), editor_post(rules, reason="Kortere prosjekter i denne runden"))
    assert response.status_code == 302
    version = RuleSetVersion.objects.get(call=call)
    assert (version.version, version.rules) == (1, [{"type": "max-duration-months", "params": {"maximum": 24}}])
    assert RuleSetVersion.objects.filter(scheme=scheme).count() == 1
    assert "Kortere prosjekter" in client.get(editor_url(call, history=True)).text


def test_a_tampered_post_is_a_bad_request(client):
    force_login_verified(client, SuperuserFactory())
    scheme = SchemeFactory()
    assert client.post(editor_url(scheme), {"rules-TOTAL": "1", "rule-0-type": "finnes-ikke"}).status_code == 400
    assert client.post(editor_url(scheme), {"rules-TOTAL": "100000"}).status_code == 400
    assert not RuleSetVersion.objects.exists()


def test_only_the_scheme_s_administrators_edit_its_rules_not_its_officers(client):
    agency = AgencyFactory()
    scheme = SchemeFactory(agencies=[agency])
    officer = StaffRoleFactory(user=StaffFactory(), agency=agency, schemes=[scheme]).user
    other_admin = StaffRoleFactory(user=StaffFactory(), agency=AgencyFactory(), role="administrator").user
    administrator = StaffRoleFactory(user=StaffFactory(), agency=agency, role="administrator").user
    data = editor_post([{"type": "applicant-kind", "params": {"kinds": ["kommune"]}}], reason="Første regler")

    for person in (officer, other_admin):
        assert not can_edit_scheme_rules(person, scheme)
        force_login_verified(client, person)
        assert client.get(editor_url(scheme)).status_code == 403
        assert client.post(editor_url(scheme), data).status_code == 403
    assert not RuleSetVersion.objects.exists()
    force_login_verified(client, officer)  # the officer may read the history of a scheme they handle
    assert client.get(editor_url(scheme, history=True)).status_code == 200

    assert can_edit_scheme_rules(administrator, scheme)
    force_login_verified(client, administrator)
    assert client.get(editor_url(scheme)).status_code == 200
    assert client.post(editor_url(scheme), data).status_code == 302
    assert RuleSetVersion.objects.get().created_by == administrator


def test_the_editor_and_the_history_have_pinned_query_counts(client, django_assert_max_num_queries):
    admin = SuperuserFactory()
    force_login_verified(client, admin)
    scheme = SchemeFactory()
    CallFactory.create_batch(5, scheme=scheme)
    many = rules_from_json(
        data=[
            {"type": "declaration", "params": {"key": f"erklaering-{n}", "statement_nb": f"Erklæring {n}"}}
            for n in range(40)
        ]
    )
    for n in range(30):
        ruleset_update(scheme=scheme, rules=many[: n + 10], reason=f"Endring {n}", by_user=admin,
                       confirm_open_calls=True)  # fmt: skip
    with django_assert_max_num_queries(10):  # +1: the verified two-factor device
        response = client.get(editor_url(scheme))
    assert response.text.count('class="module aligned"') >= 40
    with django_assert_max_num_queries(9):  # +1: the verified two-factor device
        response = client.get(editor_url(scheme, history=True))
    assert response.text.count("Endring ") >= 30
