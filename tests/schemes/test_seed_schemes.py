"""The seed schemes as their owners run them: each active scheme's open call has its own form that
asks what the scheme asks, its own criteria and rules; a complete application as the demo fills it
leaves no rule unknown but the ones an officer judges (issue 14, PRODUCT.md «The schemes»)."""

import json

import pytest
from django.utils import timezone

from applications.formdef import FormDefinition
from applications.models import CallForm
from applications.seed import SCHEME_FORMS, call_forms_seed, demo_fill
from applications.selectors import call_form_for
from applications.services import application_create, submission_check
from organisations.models import Membership, OrganisationKind
from schemes.eligibility import Status, rules_to_json
from schemes.eligibility.presets import PRESETS, preset_rules
from schemes.models import AssessmentCriterion, Call, CallStage, RuleSetVersion, Scheme
from schemes.seed import schemes_seed
from schemes.selectors import effective_rules
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ACTIVE = [
    "stimulab", "innovasjonspartnerskap", "forkommersielle-anskaffelser", "offentlig-sektor-phd",
    "innovasjonsprosjekt-offentlig-sektor", "offentlig-privat-samarbeid", "kompetanseprosjekt-offentlig-sektor",
]  # fmt: skip
# The stage a new applicant starts at, where a call has stages.
FIRST_STAGE = {"stimulab": "prekvalifisering", "innovasjonspartnerskap": "skisse",
               "forkommersielle-anskaffelser": "forprosjekt"}  # fmt: skip


@pytest.fixture
def seeded():
    now = timezone.now()
    schemes_seed(now=now)
    call_forms_seed()
    return now


def _open_call(slug, now) -> Call:
    calls = [c for c in Call.objects.filter(scheme__slug=slug).order_by("closes_at") if c.status(now=now) == "apen"]
    assert calls, f"{slug} has no open call"
    return calls[0]


def _stage(call, slug):
    return call.stages.get(kind=FIRST_STAGE[slug]) if slug in FIRST_STAGE else None


def _form(call, stage=None) -> FormDefinition:
    return FormDefinition.from_json(call_form_for(call=call, stage=stage).definition)


def _questions(form: FormDefinition) -> dict:
    return {question.key: question for _section, question in form.questions()}


def test_every_active_scheme_has_an_open_call_with_a_form_of_its_own(seeded):
    forms = {}
    for slug in ACTIVE:
        call = _open_call(slug, seeded)
        for stage in list(call.stages.all()) or [None]:
            definition = call_form_for(call=call, stage=stage).definition
            FormDefinition.from_json(definition)  # valid, «fact» names included
            forms[(slug, stage.kind if stage else None)] = json.dumps(definition, sort_keys=True)
    assert len(set(forms.values())) == len(forms)  # no two forms alike
    assert Scheme.objects.filter(is_active=True).count() == len(ACTIVE)


def test_no_form_asks_for_an_amount_beside_a_budget_and_stimulab_asks_for_neither(seeded):
    for slug, forms in SCHEME_FORMS.items():
        for definition in forms.values():
            types = {q.type.key for _s, q in FormDefinition.from_json(definition).questions()}
            assert not ({"amount", "budget"} <= types), slug
    stimulab = _questions(_form(_open_call("stimulab", seeded), _stage(_open_call("stimulab", seeded), "stimulab")))
    assert not {q.type.key for q in stimulab.values()} & {"amount", "budget"}
    assert stimulab["partnere"].params["min_partners"] == 0 and not stimulab["partnere"].required
    text = json.dumps(SCHEME_FORMS["stimulab"], ensure_ascii=False).lower()
    assert "forskningsorganisasjon" not in text and "forskingsorganisasjon" not in text


def test_each_form_asks_what_its_scheme_asks(seeded):
    def keys(slug, stage=None):
        call = _open_call(slug, seeded)
        return _questions(_form(call, call.stages.get(kind=stage) if stage else None))

    stimulab = keys("stimulab", "prekvalifisering")
    assert {"tjenesten", "brukerne", "behovet", "forankret-i-toppledelsen", "egeninnsats", "apenhet", "laering"} <= (
        set(stimulab)
    )
    assert stimulab["forankret-i-toppledelsen"].fact == "declaration:forankret-i-toppledelsen"

    sketch, full = keys("innovasjonspartnerskap", "skisse"), keys("innovasjonspartnerskap", "hovedsoknad")
    assert {"behov", "markedet", "hvem-deler-behovet", "forankret-i-toppledelsen", "faser", "varighet"} <= set(sketch)
    assert sketch["varighet"].params["max_value"] == 36 and sketch["varighet"].fact == "duration_months"
    assert set(full) - set(sketch) >= {"gevinster", "prosjektbeskrivelse"}

    pre, main = keys("forkommersielle-anskaffelser", "forprosjekt"), keys("forkommersielle-anskaffelser",
                                                                          "hovedprosjekt")  # fmt: skip
    assert {"utfordring", "markedsdialog-gjennomfort"} <= set(pre) and "forprosjekt-gjennomfort" not in pre
    assert main["forprosjekt-gjennomfort"].fact == "previous_stage_completed"
    assert {"faser", "leverandorer"} <= set(main)

    phd = keys("offentlig-sektor-phd")
    assert phd["kandidat-fast-ansatt"].fact == "candidate_permanently_employed"
    assert phd["kandidat-doktorgrad"].fact == "candidate_has_doctorate"
    assert {c["value"] for c in phd["kandidat-opptak"].params["choices"]} == {"opptatt", "sokt", "ikke-sokt"}
    assert phd["gradsgivende-institusjon"].type.key == "partners" and phd["gradsgivende-institusjon"].required
    assert {"relevans", "kandidat-cv"} <= set(phd) and "cv" not in phd  # the candidate's CV, not a project manager's
    assert phd["kandidat-cv"].label.nb == "Kandidatens CV"

    ipos = keys("innovasjonsprosjekt-offentlig-sektor")
    assert {"behov", "eierskap", "forskningspartnerens-rolle", "budsjett"} <= set(ipos)
    assert ipos["partnere"].params["min_partners"] == 1

    ops = keys("offentlig-privat-samarbeid")
    assert {"utfordring", "aktorer", "gevinstpotensial", "strategi", "marked", "felles-utfordring"} <= set(ops)
    assert ops["forankret-i-toppledelsen"].fact == "declaration:forankret-i-toppledelsen"

    kompetanse = keys("kompetanseprosjekt-offentlig-sektor")
    assert {"kunnskapsbehov", "brukernes-rolle", "formidling"} <= set(kompetanse)
    assert kompetanse["partnere"].params["min_partners"] == 1


def test_every_text_of_every_form_is_in_three_languages():
    def walk(value):
        if isinstance(value, dict):
            if set(value) >= {"nb"}:
                yield value
            for child in value.values():
                yield from walk(child)
        elif isinstance(value, list):
            for child in value:
                yield from walk(child)

    for slug, forms in SCHEME_FORMS.items():
        for definition in forms.values():
            for text in walk(definition):
                assert all(text.get(lang) for lang in ("nb", "nn", "en")), (slug, text)


def test_each_scheme_is_assessed_on_its_own_criteria(seeded):
    def names(slug):
        return list(_open_call(slug, seeded).criteria.order_by("order").values_list("name", flat=True))

    nfr = ["Forskning og innovasjon", "Virkninger og effekter", "Gjennomføring"]
    assert names("offentlig-sektor-phd") == names("innovasjonsprosjekt-offentlig-sektor") == nfr
    assert names("kompetanseprosjekt-offentlig-sektor") == nfr
    assert names("innovasjonspartnerskap") == ["Effekt", "Relevans", "Gjennomføringsevne", "Kunnskap"]
    assert names("offentlig-privat-samarbeid") == [
        "Større samfunnsutfordring", "Gjennomføringsevne", "Verdiskapingspotensial for næringslivet", "Samarbeid",
    ]  # fmt: skip
    assert len(names("stimulab")) == 7
    assert names("forkommersielle-anskaffelser")[0] == "Behov og innovasjonshøyde"
    phd = _open_call("offentlig-sektor-phd", seeded)
    assert phd.max_amount == 2_500_000


def test_each_scheme_has_its_own_rules_once_with_soft_and_officer_ones(seeded):
    def types(slug):
        return [rule["type"] for rule in PRESETS[slug]]

    for slug in PRESETS:
        version = RuleSetVersion.objects.get(scheme__slug=slug)
        assert version.rules == rules_to_json(rules=preset_rules(scheme=slug))
    assert types("offentlig-sektor-phd") == [
        "applicant-public-funding-share", "candidate-permanently-employed", "candidate-without-doctorate",
        "max-support-share", "max-applications", "officer-judgement",
    ]  # fmt: skip
    soft = {(slug, rule["type"]) for slug, rules in PRESETS.items() for rule in rules if rule.get("severity") == "soft"}
    assert soft == {("offentlig-sektor-phd", "max-applications"),
                    ("innovasjonsprosjekt-offentlig-sektor", "own-funding-share")}  # fmt: skip
    assert "previous-stage-completed" in types("forkommersielle-anskaffelser")
    assert {"min-public-partners", "declaration"} <= set(types("offentlig-privat-samarbeid"))
    assert {"max-duration-months", "declaration", "officer-judgement"} <= set(types("innovasjonspartnerskap"))
    assert types("stimulab") == ["applicant-kind", "declaration"]
    statements = [r["params"]["statement_nb"] for rules in PRESETS.values() for r in rules
                  if r["type"] == "officer-judgement"]  # fmt: skip
    assert "Doktorgraden er relevant for arbeidsgiverens ansvarsområde." in statements
    assert any("anskaffelsesregelverket" in statement for statement in statements)


def test_seeding_twice_changes_nothing(seeded):
    def snapshot():
        return (
            {model: model.objects.count() for model in (Scheme, Call, CallStage, AssessmentCriterion, RuleSetVersion,
                                                          CallForm)},
            sorted(CallForm.objects.values_list("pk", "updated_at")),
        )  # fmt: skip

    before = snapshot()
    schemes_seed(now=seeded)
    assert call_forms_seed() == 0
    assert snapshot() == before


APPLICANT = {"kompetanseprosjekt-offentlig-sektor": OrganisationKind.RESEARCH}


@pytest.mark.parametrize("slug", ACTIVE)
def test_a_complete_application_leaves_no_rule_unknown_but_the_officers(seeded, slug, private_storage):
    call = _open_call(slug, seeded)
    stage = _stage(call, slug)
    if slug == "forkommersielle-anskaffelser":
        stage = call.stages.get(kind="hovedprosjekt")  # the main project: its pre-project is asked about
    kind = APPLICANT.get(slug, OrganisationKind.KOMMUNE)
    share = None if kind == OrganisationKind.RESEARCH else 100  # the registry's facts, as the demo has them
    municipality = "4601" if kind == OrganisationKind.KOMMUNE else None
    organisation = OrganisationFactory(kind=kind, public_funding_share=share, municipality_id=municipality)
    user = MembershipFactory(organisation=organisation, role=Membership.Role.ANSVARLIG).user
    partners = [(OrganisationFactory(kind=OrganisationKind.RESEARCH), "research-partner"),
                (OrganisationFactory(kind=OrganisationKind.KOMMUNE, municipality_id="5001"), "partner")]  # fmt: skip
    application = application_create(call=call, stage=stage, organisation=organisation, by_user=user)
    demo_fill(application=application, user=user, partners=partners)
    application.refresh_from_db()
    check = submission_check(application)
    outcomes = check.evaluation.outcomes
    unknown = [(o.rule.type.key, str(o.explanation)) for o in outcomes if o.status == Status.UNKNOWN]
    assert all(key == "officer-judgement" for key, _text in unknown), unknown
    assert not [str(o.explanation) for o in outcomes if o.status == Status.FAILS]
    assert check.ok, [item.message for item in check.items]
    assert len(outcomes) == len(effective_rules(scheme=call.scheme, call=call).rules) == len(PRESETS[slug])
    assert [o.rule.type.key for o in check.officer_items] == [
        rule["type"] for rule in PRESETS[slug] if rule["type"] == "officer-judgement"
    ]
