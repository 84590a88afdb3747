"""What a new applicant tripped over (issue 13), each with what the person sees: the deadline's
passing on the overview and the submit page, «Start søknad» with one stage, the eligibility check
with no partners, the version page's labels, and a timeline that says what happened and what next."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Application, ApplicationEvent, ApplicationVersion, EventKind
from applications.services import (
    ApplicationError,
    application_reopen,
    application_submit,
    application_withdraw,
    submission_check,
)
from applications.services.transitions import application_transition
from applications.workflow import CLOSE_REOPENED, HAPPENED, NEXT_STEP, TRANSITIONS, State
from organisations.models import Membership
from schemes.eligibility import rules_from_json
from schemes.models import CallStage
from schemes.services import ruleset_update
from tests.applications.helpers import complete_application
from tests.factories import (
    AgencyFactory,
    CallFactory,
    MembershipFactory,
    SchemeFactory,
    full_form_with_facts,
    make_application,
)
from tests.html import accessible_name, by_role, links, parse, select, table_rows, visible_text

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
DEADLINE = datetime(2027, 9, 1, 13, 0, tzinfo=OSLO)


@pytest.fixture
def team():
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG, user__full_name="Ansvarlig Anne")
    member = MembershipFactory(organisation=ansvarlig.organisation, user__full_name="Medlem Morten")
    return ansvarlig.user, member.user, ansvarlig.organisation


def detail_url(application):
    return reverse("application-detail", args=[application.pk])


def submit_url(application):
    return reverse("application-submit", args=[application.pk])


def withdraw_url(application):
    return reverse("application-withdraw", args=[application.pk])


# --- 1. After the deadline ----------------------------------------------------------------------
@pytest.fixture
def late_draft(team):
    """A draft of a call whose deadline is 1 September 2027 at 13:00, seen one minute after it, by a
    scheme run by a named agency. Yields inside that moment."""
    _ansvarlig, member, organisation = team
    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        scheme = SchemeFactory(agencies=[AgencyFactory(name="Innovasjonsbyrået")])
        call = CallFactory(scheme=scheme, closes_at=DEADLINE)
        from applications.services import call_form_save
        from tests.example_forms import FULL_FORM

        call_form_save(call=call, definition=FULL_FORM, by_user=None)
        application = make_application(organisation=organisation, by_user=member, call=call)
    with time_machine.travel(DEADLINE + timedelta(minutes=1), tick=False):
        yield application


def control_names(page) -> list[str]:
    """What the page's links and buttons are called, as a screen reader announces them."""
    page = parse(page)
    return [accessible_name(e) for role in ("link", "button") for e in by_role(page, role)]


def test_after_the_deadline_the_overview_says_what_happened_and_offers_no_dead_buttons(client, team, late_draft):
    client.force_login(team[0])  # the ansvarlig: before the deadline she could submit and withdraw
    page = client.get(detail_url(late_draft)).text
    seen = visible_text(page)
    assert "Fristen gikk ut 1. september 2027 kl. 13:00." in seen
    assert "Søknaden ble ikke sendt inn, og den kan ikke lenger sendes inn, endres eller trekkes." in seen
    names = control_names(page)
    assert "Send inn søknaden" not in names and "Trekk søknaden" not in names
    assert "Åpne søknaden for endring" not in names
    # What she can still do: read it (the answers are on the page), copy it, ask the agency.
    assert "Svarene i søknaden" in seen
    hrefs = dict(links(page))
    assert hrefs["Kopiere den til en ny søknad i en senere utlysning"] == reverse(
        "application-copy", args=[late_draft.pk]
    )
    assert "Kontakte Innovasjonsbyrået om du har spørsmål:" in seen
    assert hrefs["se siden om ordningen"] == reverse("scheme-detail", args=[late_draft.call.scheme.slug])


def test_before_the_deadline_the_same_overview_offers_submit_and_withdraw(client, team):
    application = make_application(organisation=team[2], by_user=team[1])
    client.force_login(team[0])
    page = client.get(detail_url(application)).text
    assert {"Send inn søknaden", "Trekk søknaden"} <= set(control_names(page))
    assert "Fristen gikk ut" not in visible_text(page)


def test_after_the_deadline_the_submit_page_has_no_button_and_a_late_post_names_the_deadline(client, team, late_draft):
    client.force_login(team[0])
    page = client.get(submit_url(late_draft)).text
    assert "Fristen gikk ut 1. september 2027 kl. 13:00." in visible_text(page)
    assert not select(page, f'form[action="{submit_url(late_draft)}"] button')
    assert "Kontroll av søknaden" not in visible_text(page)  # nothing to put right any more
    response = client.post(submit_url(late_draft))
    assert response.status_code == 200
    assert "Fristen var 01.09.2027 kl. 13:00:00. Søknaden kom 01.09.2027 kl. 13:01:00" in visible_text(response)
    assert not ApplicationVersion.objects.exists()
    assert Application.objects.get(pk=late_draft.pk).state == State.DRAFT


def test_after_the_deadline_a_draft_cannot_be_withdrawn_and_the_page_says_why(client, team, late_draft):
    client.force_login(team[0])
    page = client.get(withdraw_url(late_draft)).text
    assert "Fristen gikk ut 1. september 2027 kl. 13:00." in visible_text(page)
    assert "Hvorfor trekkes søknaden?" not in visible_text(page)
    response = client.post(withdraw_url(late_draft), {"reason": "For sent uansett"})
    assert response.status_code == 200
    assert Application.objects.get(pk=late_draft.pk).state == State.DRAFT
    assert not ApplicationEvent.objects.filter(application=late_draft, kind=EventKind.WITHDRAWN).exists()
    with pytest.raises(ApplicationError) as refused:
        application_withdraw(application_id=late_draft.pk, by_user=team[0], reason="For sent", now=timezone.now())
    assert refused.value.code == "late" and "01.09.2027 kl. 13:00:00" in refused.value.message


def test_after_the_deadline_a_submitted_application_may_still_be_withdrawn(client, team, private_storage):
    ansvarlig, member, organisation = team
    application = make_application(organisation=organisation, by_user=member)
    complete_application(application, member)
    application_submit(application_id=application.pk, by_user=ansvarlig, now=timezone.now())
    call = application.call
    with time_machine.travel(call.closes_at + timedelta(minutes=1), tick=False):
        client.force_login(ansvarlig)
        page = client.get(detail_url(application)).text
        assert "Trekk søknaden" in control_names(page)
        assert "Fristen gikk ut" not in visible_text(page)  # what was submitted goes on: nothing to explain


def test_in_english_the_deadline_is_written_day_first(client, team, late_draft):
    client.force_login(team[0])
    client.cookies["django_language"] = "en"
    seen = visible_text(client.get(detail_url(late_draft)))
    assert "The deadline passed on 1 September 2027, 13:00." in seen


# --- 3. «Start søknad» with one stage ----------------------------------------------------------------
@pytest.fixture
def one_stage_call():
    from applications.services import call_form_save
    from tests.example_forms import FULL_FORM

    call = CallFactory()
    stage = CallStage.objects.create(call=call, kind=CallStage.Kind.FULL, order=1)
    call_form_save(call=call, stage=stage, definition=FULL_FORM, by_user=None)
    return call, stage


def test_a_single_stage_is_chosen_already_so_start_works_as_posted(client, one_stage_call):
    call, stage = one_stage_call
    membership = MembershipFactory()
    client.force_login(membership.user)
    page = client.get(reverse("application-start", args=[call.slug])).text
    from html.parser import HTMLParser

    checked = []

    class Radios(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("name") == "stage":
                checked.append((attrs["value"], "checked" in attrs))

    Radios().feed(page)
    assert checked == [(str(stage.pk), True)]


def test_starting_without_a_stage_says_what_to_choose_and_creates_nothing(client, one_stage_call):
    call, _stage = one_stage_call
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        reverse("application-start", args=[call.slug]),
        {"creation_key": str(uuid.uuid4()), "organisation": membership.organisation.pk},
    )
    assert response.status_code == 200
    seen = visible_text(response)
    assert "Rett opp dette før du går videre: Velg hvilket trinn i utlysningen du søker på." in seen
    assert not Application.objects.exists()


# --- 5. Eligibility at submit with no partners ---------------------------------------------------------
def test_partner_rules_decide_from_the_partners_the_application_has(team):
    application = make_application(organisation=team[2], by_user=team[1])
    rules = rules_from_json(
        data=[{"type": "research-partner", "params": {}}, {"type": "min-public-partners", "params": {"minimum": 1}}]
    )
    ruleset_update(call=application.call, rules=rules, reason="Partnere", by_user=None, confirm_open_calls=True)
    evaluation = submission_check(application).evaluation
    outcomes = {o.rule.type.key: (o.status, str(o.explanation)) for o in evaluation.outcomes}
    assert outcomes == {
        "research-partner": ("fails",
                             "Ordningen krever en forskningsorganisasjon som partner, og prosjektet har ingen."),
        "min-public-partners": ("fails", "Prosjektet har 0 offentlige partnere, men ordningen krever minst 1."),
    }  # fmt: skip


def test_the_public_check_with_no_public_partner_and_vet_ikke_fails_without_a_phantom_partner(client):
    scheme = SchemeFactory(name="Partnerordningen")
    ruleset_update(
        scheme=scheme,
        rules=rules_from_json(data=[{"type": "min-public-partners", "params": {"minimum": 1}},
                                    {"type": "research-partner", "params": {}}]),
        reason="Partnere", by_user=None, confirm_open_calls=True,
    )  # fmt: skip
    response = client.get(reverse("eligibility-check"), {"offentlige_partnere": "0"})
    seen = visible_text(response)
    assert "Prosjektet har 0 offentlige partnere, men ordningen krever minst 1." in seen
    assert "Vi vet ikke ennå om prosjektet har en forskningsorganisasjon som partner" in seen
    assert "av partnerne" not in seen


# --- 6. The version page in words -----------------------------------------------------------------------
@pytest.fixture
def submitted(private_storage, team):
    ansvarlig, member, organisation = team
    application = make_application(organisation=organisation, by_user=member, definition=full_form_with_facts())
    complete_application(application, member)
    rules = rules_from_json(data=[{"type": "max-duration-months", "params": {"maximum": 36}},
                                  {"type": "research-partner", "params": {}},
                                  {"type": "officer-judgement", "params": {"statement_nb": "Forankret.",
                                                                           "statement_nn": "Forankra.",
                                                                           "statement_en": "Anchored."}}])  # fmt: skip
    ruleset_update(call=application.call, rules=rules, reason="Vilkår", by_user=None, confirm_open_calls=True)
    application_submit(application_id=application.pk, by_user=ansvarlig, now=timezone.now())
    return Application.objects.get(pk=application.pk)


@pytest.mark.parametrize(
    ("language", "expected", "codes"),
    [
        ("nb", ["Resultat: Kan søke", "Oppfylt: Prosjektet har en forskningsorganisasjon som partner",
                "Vurderes av saksbehandler: Forankret."], ["Ukjent"]),
        ("en", ["Result: Can apply", "Met: The project has a research organisation as a partner",
                "Judged by the case officer: Anchored."], ["Oppfylt", "Ukjent", "Unknown", "Kan søke"]),
    ],
)  # fmt: skip
def test_the_version_page_names_results_in_the_readers_language_never_as_codes(
    client, team, submitted, language, expected, codes
):
    client.force_login(team[0])
    client.cookies["django_language"] = language
    seen = visible_text(client.get(reverse("application-version", args=[submitted.pk, 1])))
    for code in ("need-more-information", "passes:", "unknown:", "fails:", "passes", "unknown"):
        assert code not in seen
    for phrase in expected:
        assert phrase in seen, phrase
    for phrase in codes:
        assert phrase not in seen


# --- 7. The timeline says what happened, by which role, and what next -------------------------------------------
def test_every_transition_says_what_it_did_and_every_state_what_comes_next():
    assert set(HAPPENED) == set(TRANSITIONS)
    assert set(NEXT_STEP) == set(State)


def timeline_rows(client, application):
    page = client.get(reverse("application-timeline", args=[application.pk]))
    return table_rows(page, "table")[1:]  # the page's one table, below its column headings


def test_the_timeline_after_create_submit_reopen_and_the_deadline_says_what_who_and_what_next(
    client, team, private_storage
):
    ansvarlig, member, organisation = team
    application = make_application(organisation=organisation, by_user=member)
    complete_application(application, member)
    application_submit(application_id=application.pk, by_user=ansvarlig, now=timezone.now())
    application_reopen(application_id=application.pk, by_user=ansvarlig, now=timezone.now())
    deadline = timezone.localtime(application.deadline)
    months = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
              "november", "desember"]  # fmt: skip
    written = f"{deadline.day}. {months[deadline.month - 1]} {deadline.year} kl. {deadline:%H:%M}"
    application_transition(application_id=application.pk, name=CLOSE_REOPENED, by_user=None,
                           now=application.deadline + timedelta(seconds=1))  # fmt: skip
    client.force_login(member)
    rows = timeline_rows(client, application)
    described = [(what.split(" Saksnummer")[0], who, next_) for _when, what, who, next_ in rows]
    assert described[0] == (
        "Søknaden er opprettet.",
        "Medlem Morten (medlem av søkerorganisasjonen)",
        f"Administrativt ansvarlig må sende inn søknaden innen fristen {written}.",
    )
    assert described[-3:] == [
        (
            "Søknaden er sendt inn.",
            "Ansvarlig Anne (administrativt ansvarlig)",
            f"Formell kontroll etter fristen {written}. Til da kan administrativt ansvarlig åpne søknaden for endring.",
        ),
        (
            "Søknaden er åpnet for endring.",
            "Ansvarlig Anne (administrativt ansvarlig)",
            f"Send inn søknaden på nytt innen fristen {written}. Til da gjelder versjonen som er sendt inn.",
        ),
        (
            "Fristen gikk ut. Endringene ble ikke sendt inn, så den siste innsendte versjonen gjelder.",
            "Portalen",
            f"Formell kontroll etter fristen {written}. Til da kan administrativt ansvarlig åpne søknaden for endring.",
        ),
    ]
    assert all(row[1] != "Status endret" for row in rows)
    at = timezone.localtime(ApplicationEvent.objects.filter(application=application).first().at)
    assert rows[0][0] == f"{at:%d.%m.%Y} kl. {at:%H:%M}"


def test_the_timeline_in_english(client, team, private_storage):
    ansvarlig, member, organisation = team
    application = make_application(organisation=organisation, by_user=member)
    complete_application(application, member)
    application_submit(application_id=application.pk, by_user=ansvarlig, now=timezone.now())
    client.force_login(ansvarlig)
    client.cookies["django_language"] = "en"
    rows = timeline_rows(client, application)
    assert rows[-1][1].startswith("The application has been submitted.")
    assert rows[-1][2] == "Ansvarlig Anne (authorised signatory)"
    assert rows[-1][3].startswith("Formal check after the deadline")


def test_a_version_frozen_before_explanations_were_kept_in_every_language_reads_in_bokmaal_with_labels():
    from applications.receipts import eligibility_display

    outcome = {"rule": "research-partner", "status": "fails", "explanation": "Ingen partner."}
    frozen = {"verdict": "not-eligible", "outcomes": [outcome]}
    with translation.override("en"):
        shown = eligibility_display(frozen)
    assert shown == {
        "verdict": "Cannot apply",
        "outcomes": [{"status": "fails", "status_label": "Not met", "explanation": "Ingen partner."}],
    }
