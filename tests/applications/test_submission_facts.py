"""Rules that decide at submit (issue 14): real rules of every type, the verdict per rule, whether the
submit is refused, the counting of earlier applications, soft rules with justifications, rules the
officer judges in the formal check, and one source of facts for the public check, the draft's check
and the submit."""

import copy
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.services import SubmissionRefused, application_justify, application_submit, submission_check
from applications.workflow import State
from organisations.models import Membership, OrganisationKind
from review.models import FormalCheck
from review.services import formal_check_record, formal_findings
from schemes.check import call_with_rules, check_schemes
from schemes.eligibility import Facts, rules_from_json
from schemes.facts import facts_for
from schemes.models import CallStage
from schemes.services import ruleset_update
from tests.applications.helpers import complete_application, question, section
from tests.factories import (
    AgencyFactory,
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    SchemeFactory,
    StaffRoleFactory,
    call_with_form,
    full_form_with_facts,
    make_application,
)
from tests.html import by_role, visible_text
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db

DECLARATION = {"key": "forankret", "statement_nb": "Prosjektet er forankret i toppledelsen."}
JUDGEMENT = {"statement_nb": "Prosjektet er relevant for arbeidsgiverens ansvar.", "statement_en": "Relevant."}


def form_with_every_fact() -> dict:
    """The demo's full form (duration providing ``duration_months``) and a section of optional yes-no
    questions providing the candidate, pre-project and declaration facts."""
    definition = copy.deepcopy(full_form_with_facts())
    facts = {
        "kandidat-fast-ansatt": "candidate_permanently_employed",
        "kandidat-doktorgrad": "candidate_has_doctorate",
        "forprosjekt-gjennomfort": "previous_stage_completed",
        "forankret": "declaration:forankret",
    }
    questions = [{**question(key, "yes-no", required=False), "fact": fact} for key, fact in facts.items()]
    definition["sections"].append(section("vilkar", *questions, title="Vilkår"))
    return definition


@pytest.fixture
def world(private_storage):
    agency = AgencyFactory()
    scheme = SchemeFactory(agencies=[agency])
    call = call_with_form(scheme=scheme, definition=form_with_every_fact())
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    officer = StaffRoleFactory(agency=agency, schemes=[scheme]).user
    return {"scheme": scheme, "call": call, "ansvarlig": ansvarlig.user, "organisation": ansvarlig.organisation,
            "officer": officer}  # fmt: skip


def draft(world, *, answers=None, call=None):
    """A complete draft (budget: 1 200 000 in costs, 600 000 own funding and 600 000 applied for;
    a research organisation as partner; 24 months) with ``answers`` added."""
    application = make_application(
        organisation=world["organisation"], call=call or world["call"], by_user=world["ansvarlig"]
    )
    complete_application(application, world["ansvarlig"])
    if answers:
        application = Application.objects.get(pk=application.pk)
        Application.objects.filter(pk=application.pk).update(answers={**application.answers, **answers})
    return Application.objects.get(pk=application.pk)


def set_rules(world, rules):
    ruleset_update(
        call=world["call"], rules=rules_from_json(data=rules), reason="Vilkår", by_user=None, confirm_open_calls=True
    )


def statuses(application) -> dict[str, str]:
    return {o.rule.identity: str(o.status) for o in submission_check(application).evaluation.outcomes}


def try_submit(world, application):
    """(version or None, the refusal or None)."""
    try:
        return application_submit(application_id=application.pk, by_user=world["ansvarlig"], now=timezone.now()), None
    except SubmissionRefused as refused:
        return None, refused


# --- Every rule type, at submit -------------------------------------------------------------------------
CASES = [
    # (rule, answers, expected status, submit refused)
    ({"type": "applicant-kind", "params": {"kinds": ["statlig"]}}, {}, "passes", False),
    ({"type": "applicant-kind", "params": {"kinds": ["kommune"]}}, {}, "fails", True),
    ({"type": "applicant-public-funding-share", "params": {"minimum": "80"}}, {}, "passes", False),
    ({"type": "research-partner", "params": {}}, {}, "passes", False),
    ({"type": "company-partner", "params": {}}, {}, "fails", True),
    ({"type": "min-public-partners", "params": {"minimum": 1}}, {}, "fails", True),
    ({"type": "own-funding-share", "params": {"minimum": "50"}}, {}, "passes", False),
    ({"type": "own-funding-share", "params": {"minimum": "60"}}, {}, "fails", True),
    ({"type": "requested-amount", "params": {"minimum": "100000", "maximum": "500000"}}, {}, "fails", True),
    ({"type": "requested-amount", "params": {"minimum": "100000", "maximum": "2000000"}}, {}, "passes", False),
    ({"type": "max-duration-months", "params": {"maximum": 36}}, {}, "passes", False),
    ({"type": "max-duration-months", "params": {"maximum": 12}}, {}, "fails", True),
    ({"type": "candidate-permanently-employed", "params": {}}, {"kandidat-fast-ansatt": True}, "passes", False),
    ({"type": "candidate-permanently-employed", "params": {}}, {"kandidat-fast-ansatt": False}, "fails", True),
    ({"type": "candidate-permanently-employed", "params": {}}, {}, "unknown", True),
    ({"type": "candidate-without-doctorate", "params": {}}, {"kandidat-doktorgrad": False}, "passes", False),
    ({"type": "candidate-without-doctorate", "params": {}}, {"kandidat-doktorgrad": True}, "fails", True),
    ({"type": "declaration", "params": DECLARATION}, {"forankret": True}, "passes", False),
    ({"type": "declaration", "params": DECLARATION}, {"forankret": False}, "fails", True),
    ({"type": "declaration", "params": DECLARATION}, {}, "unknown", True),
    ({"type": "max-applications", "params": {"maximum": 1, "period": "year"}}, {}, "passes", False),
    ({"type": "max-applications", "params": {"maximum": 1, "period": "call"}}, {}, "passes", False),
    ({"type": "officer-judgement", "params": JUDGEMENT}, {}, "unknown", False),
    ({"type": "max-support-share", "params": {"maximum": "50"}}, {}, "passes", False),
    ({"type": "max-support-share", "params": {"maximum": "40"}}, {}, "fails", True),
    ({"type": "previous-stage-completed", "params": {}}, {"forprosjekt-gjennomfort": True}, "passes", False),
    ({"type": "previous-stage-completed", "params": {}}, {}, "unknown", True),
]


@pytest.mark.parametrize(("rule", "answers", "expected", "refused"), CASES)
def test_each_rule_type_decides_at_submit(world, rule, answers, expected, refused):
    set_rules(world, [rule])
    application = draft(world, answers=answers)
    [status] = statuses(application).values()
    assert status == expected
    version, refusal = try_submit(world, application)
    assert (refusal is not None) == refused, refusal and [item.message for item in refusal.check.items]
    if version is not None:
        assert [o["status"] for o in version.content["eligibility"]["outcomes"]] == [expected]


def test_every_rule_type_has_a_submit_case():
    from schemes.eligibility import rule_types

    assert {rule["type"] for rule, *_rest in CASES} == {rule_type.key for rule_type in rule_types()}


def test_a_rule_on_the_registry_left_unknown_points_to_the_organisation(world):
    world["organisation"].public_funding_share = None
    world["organisation"].save()
    set_rules(world, [{"type": "applicant-public-funding-share", "params": {"minimum": "80"}}])
    _version, refusal = try_submit(world, draft(world))
    [item] = [item for item in refusal.check.items if item.kind == "eligibility-unknown"]
    assert item.url == reverse("organisation-detail", args=[world["organisation"].org_number])
    assert "Oppdater organisasjonens opplysninger" in item.message


def test_an_unanswered_fact_points_to_its_question(world):
    set_rules(world, [{"type": "declaration", "params": DECLARATION}])
    _version, refusal = try_submit(world, draft(world))
    [item] = [item for item in refusal.check.items if item.kind == "eligibility-unknown"]
    assert (item.section_key, item.question_key) == ("vilkar", "forankret")
    assert item.message.startswith("Søkeren må bekrefte: «Prosjektet er forankret i toppledelsen.»")


def test_a_fact_no_question_provides_says_to_contact_the_officer(world):
    call = call_with_form(scheme=world["scheme"])  # the plain demo form: no question gives a fact
    ruleset_update(call=call, rules=rules_from_json(data=[{"type": "max-duration-months", "params": {"maximum": 36}}]),
                   reason="Vilkår", by_user=None, confirm_open_calls=True)  # fmt: skip
    _version, refusal = try_submit(world, draft(world, call=call))
    [item] = [item for item in refusal.check.items if item.kind == "eligibility-unknown"]
    assert "Søknadsskjemaet spør ikke om dette. Kontakt saksbehandler for utlysningen." in item.message


def test_partner_and_budget_rules_point_to_their_pages(world):
    set_rules(
        world, [{"type": "research-partner", "params": {}}, {"type": "own-funding-share", "params": {"minimum": "50"}}]
    )
    application = draft(world)
    answers = {key: value for key, value in application.answers.items() if key != "budsjett"}
    Application.objects.filter(pk=application.pk).update(answers=answers)
    application.partners.all().delete()
    check = submission_check(Application.objects.get(pk=application.pk))
    unknown = [(item.question_key, item.kind) for item in check.items if item.kind.startswith("eligibility")]
    # No partners is a known fact (none): the partner rule fails; the missing budget is unknown.
    assert ("budsjett", "eligibility-unknown") in unknown


# --- Previous stage -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stage", "completed", "expected"),
    [
        (CallStage.Kind.PRE_PROJECT, None, "passes"),
        (CallStage.Kind.MAIN_PROJECT, True, "passes"),
        (CallStage.Kind.MAIN_PROJECT, False, "fails"),
        (CallStage.Kind.MAIN_PROJECT, None, "unknown"),
        (None, True, "passes"),
        (None, False, "unknown"),
    ],
)
def test_a_main_project_needs_the_pre_project_completed(stage, completed, expected):
    [rule] = rules_from_json(data=[{"type": "previous-stage-completed", "params": {}}])
    assert rule.evaluate(Facts(stage=stage, previous_stage_completed=completed)).status == expected


# --- Counting earlier applications ------------------------------------------------------------------------
def other_application(world, *, call, state=State.SUBMITTED, stage=None):
    other = make_application(organisation=world["organisation"], call=call, by_user=world["ansvarlig"])
    Application.objects.filter(pk=other.pk).update(state=state, stage=stage)
    return other


def counted_this_year(world):
    set_rules(world, [{"type": "max-applications", "params": {"maximum": 1, "period": "year"}}])
    application = draft(world)
    return submission_check(application).evaluation.outcomes[0], application


def test_an_application_to_another_scheme_is_not_counted(world):
    other_application(world, call=call_with_form())
    outcome, application = counted_this_year(world)
    assert outcome.status == "passes"
    assert try_submit(world, application)[1] is None


def test_an_application_in_another_year_is_not_counted(world):
    closes = world["call"].closes_at
    later = CallFactory(scheme=world["scheme"], closes_at=closes + timedelta(days=366))
    earlier = CallFactory(
        scheme=world["scheme"], opens_at=closes - timedelta(days=400), closes_at=closes - timedelta(days=366)
    )
    for call in (later, earlier):
        Application.objects.create(call=call, organisation=world["organisation"], state=State.SUBMITTED)
    outcome, _application = counted_this_year(world)
    assert outcome.status == "passes"


def test_a_sketch_of_a_staged_call_is_not_counted(world):
    staged = CallFactory(scheme=world["scheme"], closes_at=world["call"].closes_at)
    sketch = CallStage.objects.create(call=staged, order=1, kind=CallStage.Kind.SKETCH)
    Application.objects.create(call=staged, stage=sketch, organisation=world["organisation"], state=State.SUBMITTED)
    outcome, _application = counted_this_year(world)
    assert outcome.status == "passes"


def test_drafts_and_withdrawn_applications_are_not_counted(world):
    for state in (State.DRAFT, State.WITHDRAWN, State.NOT_SUBMITTED):
        Application.objects.create(call=world["call"], organisation=world["organisation"], state=state)
    outcome, _application = counted_this_year(world)
    assert outcome.status == "passes"


def test_an_application_to_the_same_scheme_the_same_year_is_counted_and_stops_the_submit(world):
    same_year = CallFactory(scheme=world["scheme"], closes_at=world["call"].closes_at - timedelta(hours=1))
    Application.objects.create(call=same_year, organisation=world["organisation"], state=State.SUBMITTED)
    outcome, application = counted_this_year(world)
    assert outcome.status == "fails"
    assert "organisasjonen har allerede sendt 1 i år" in str(outcome.explanation)
    _version, refusal = try_submit(world, application)
    assert refusal is not None


def test_the_application_itself_is_never_counted_on_resubmit(world):
    _outcome, application = counted_this_year(world)
    assert try_submit(world, application)[1] is None
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert submission_check(application).evaluation.outcomes[0].status == "passes"


# --- Soft rules ---------------------------------------------------------------------------------------------
SOFT_OWN_FUNDING = {"type": "own-funding-share", "params": {"minimum": "60"}, "severity": "soft"}


def test_a_soft_rule_that_fails_needs_a_justification_the_officer_reads(world):
    set_rules(world, [SOFT_OWN_FUNDING])
    application = draft(world)
    check = submission_check(application)
    assert [w.identity for w in check.warnings] == ["own-funding-share"]
    assert [item.kind for item in check.items] == ["justification"]
    _version, refusal = try_submit(world, application)
    assert refusal is not None
    application_justify(
        application_id=application.pk, by_user=world["ansvarlig"],
        justifications={"own-funding-share": "Kommunen har ikke budsjett i år; staten dekker mer."},
    )  # fmt: skip
    version, refusal = try_submit(world, Application.objects.get(pk=application.pk))
    assert refusal is None
    [outcome] = version.content["eligibility"]["outcomes"]
    assert (outcome["status"], outcome["severity"]) == ("fails", "soft")
    assert outcome["justification"] == "Kommunen har ikke budsjett i år; staten dekker mer."
    Application.objects.filter(pk=application.pk).update(state=State.FORMAL_CHECK)
    [finding] = [f for f in formal_findings(application) if f["code"] == "justification"]
    assert finding["justification"] == "Kommunen har ikke budsjett i år; staten dekker mer."


def test_only_someone_who_may_edit_saves_justifications(world):
    set_rules(world, [SOFT_OWN_FUNDING])
    application = draft(world)
    stranger = MembershipFactory().user
    from applications.errors import ApplicationError

    with pytest.raises(ApplicationError):
        application_justify(application_id=application.pk, by_user=stranger, justifications={"own-funding-share": "x"})
    assert Application.objects.get(pk=application.pk).justifications == {}


def test_the_submit_page_keeps_the_typed_justification_and_then_submits(client, world):
    set_rules(world, [SOFT_OWN_FUNDING, {"type": "max-duration-months", "params": {"maximum": 36}}])
    application = draft(world)
    client.force_login(world["ansvarlig"])
    url = reverse("application-submit", args=[application.pk])
    page = client.get(url)
    field_name = submission_check(application).warnings[0].field_name
    assert f'name="{field_name}"' in page.text
    response = client.post(url, {field_name: "  "})
    assert response.status_code == 200
    assert "Skriv en begrunnelse." in visible_text(response)
    assert Application.objects.get(pk=application.pk).state == State.DRAFT
    response = client.post(url, {field_name: "Vi har fått midler fra fylket."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.justifications == {"own-funding-share": "Vi har fått midler fra fylket."}


# --- Officer judgements in the formal check ---------------------------------------------------------------
def submitted_with_judgement(world):
    set_rules(world, [{"type": "officer-judgement", "params": JUDGEMENT}, SOFT_OWN_FUNDING])
    application = draft(world)
    application_justify(application_id=application.pk, by_user=world["ansvarlig"],
                        justifications={"own-funding-share": "Fylket betaler en del."})  # fmt: skip
    _version, refusal = try_submit(world, application)
    assert refusal is None
    Application.objects.filter(pk=application.pk).update(state=State.FORMAL_CHECK)
    return Application.objects.get(pk=application.pk)


def test_an_officer_judgement_becomes_an_item_the_officer_must_tick(world):
    application = submitted_with_judgement(world)
    [finding] = [f for f in formal_findings(application) if f["code"] == "officer-judgement"]
    assert finding["details"] == [JUDGEMENT["statement_nb"]]
    from applications.errors import ApplicationError

    with pytest.raises(ApplicationError, match="Kryss av"):
        formal_check_record(application_id=application.pk, by_user=world["officer"], approved=True)
    check = formal_check_record(
        application_id=application.pk, by_user=world["officer"], approved=True, judged=[finding["key"]]
    )
    [recorded] = [f for f in check.findings if f["code"] == "officer-judgement"]
    assert recorded["judged"] is True


def test_the_case_page_shows_the_items_and_the_approve_form_requires_the_ticks(client, world):
    application = submitted_with_judgement(world)
    force_login_verified(client, world["officer"])
    page = client.get(reverse("staff-application", args=[application.pk]))
    seen = visible_text(page)
    assert "Krav saksbehandleren vurderer" in seen
    assert JUDGEMENT["statement_nb"] in seen
    assert "Fylket betaler en del." in seen
    assert by_role(page, "checkbox", f"Vurdert: {JUDGEMENT['statement_nb']}")
    url = reverse("staff-application-formal-check", args=[application.pk])
    response = client.post(url, {"result": "godkjenn"})
    assert response.status_code == 200
    assert "Kryss av for hvert krav når du har vurdert det." in visible_text(response)
    assert not FormalCheck.objects.exists()
    key = next(f["key"] for f in formal_findings(application) if f["code"] == "officer-judgement")
    assert client.post(url, {"result": "godkjenn", "judged": [key]}).status_code == 302
    assert FormalCheck.objects.get().findings[-2]["judged"] is True


def test_only_officers_of_the_scheme_record_the_formal_check(client, world):
    application = submitted_with_judgement(world)
    other = SchemeFactory(agencies=[world["scheme"].agencies.get()])
    stranger = StaffRoleFactory(agency=other.agencies.get(), schemes=[other]).user
    force_login_verified(client, stranger)
    key = next(f["key"] for f in formal_findings(application) if f["code"] == "officer-judgement")
    url = reverse("staff-application-formal-check", args=[application.pk])
    assert client.post(url, {"result": "godkjenn", "judged": [key]}).status_code == 404
    assert client.get(reverse("staff-application", args=[application.pk])).status_code == 404
    assert not FormalCheck.objects.exists()


# --- One source of facts ---------------------------------------------------------------------------------
SAME_RULES = [
    {"type": "applicant-kind", "params": {"kinds": ["statlig", "kommune"]}},
    {"type": "applicant-public-funding-share", "params": {"minimum": "80"}},
    {"type": "own-funding-share", "params": {"minimum": "60"}, "severity": "soft"},
    {"type": "max-duration-months", "params": {"maximum": 36}},
    {"type": "max-applications", "params": {"maximum": 1, "period": "year"}},
    {"type": "max-support-share", "params": {"maximum": "50"}},
    {"type": "officer-judgement", "params": JUDGEMENT},
]


def test_the_public_check_the_drafts_check_and_the_submit_give_the_same_statuses(client, world):
    set_rules(world, SAME_RULES)
    same_year = CallFactory(scheme=world["scheme"], closes_at=world["call"].closes_at)
    Application.objects.create(call=same_year, organisation=world["organisation"], state=State.SUBMITTED)
    application = draft(world)
    at_submit = statuses(application)
    assert at_submit["max-applications:year"] == "fails"
    # The public check for the logged-in person's organisation, with the visitor's project answers.
    visitor = Facts(own_funding_share=50, duration_months=24, support_share=50)
    public = check_schemes(targets=[call_with_rules(slug=world["call"].slug)], facts=visitor,
                           organisation=world["organisation"])  # fmt: skip
    assert {o.rule.identity: str(o.status) for o in public.schemes[0].evaluation.outcomes} == at_submit
    # The same through the page: the counts are not asked, they come from the database.
    client.force_login(world["ansvarlig"])
    response = client.get(reverse("eligibility-check"), {
        "utlysning": world["call"].slug, "virksomhet": "", "egenfinansiering": "50", "varighet": "24",
        "stotteandel": "50",
    })  # fmt: skip
    seen = visible_text(response)
    assert "Hvor mange søknader har virksomheten allerede sendt" not in seen
    assert "organisasjonen har allerede sendt 1 i år" in seen
    # The draft's check lists the same failing and unknown rules as the submit refuses.
    page = visible_text(client.get(reverse("application-check", args=[application.pk])))
    assert "organisasjonen har allerede sendt 1 i år" in page
    assert JUDGEMENT["statement_nb"] in page


def test_facts_for_an_anonymous_visitor_has_no_registry_facts_and_no_counts(world):
    facts = facts_for(call=world["call"])
    assert facts.applicant_kind is None and facts.applications_this_year is None


def test_facts_for_reads_the_registry_and_the_partners_kinds(world):
    partner = OrganisationFactory(kind=OrganisationKind.STATLIG)
    facts = facts_for(organisation=world["organisation"], call=world["call"], partners=[partner])
    assert facts.applicant_kind == OrganisationKind.STATLIG
    assert facts.partners[0].is_public is True
    assert facts.applications_this_year == 0 and facts.applications_this_call == 0
