"""The workflow table, walked: every transition from every state, for every role — allowed exactly
where the table says, refused (with nothing written) everywhere else."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import StaffRole
from applications.models import Application, ApplicationEvent, EventKind
from applications.permissions import actors_for
from applications.services import application_transition, transition_check
from applications.workflow import (
    APPLICANT_LABELS,
    TRANSITIONS,
    Actor,
    State,
    TransitionNotAllowed,
    available,
)
from organisations.models import Membership
from schemes.models import Call
from tests.factories import AgencyFactory, MembershipFactory, SchemeFactory, StaffRoleFactory, make_application

pytestmark = pytest.mark.django_db

ROLES = ["member", "ansvarlig", "officer", "officer_other_scheme", "reviewer", "stranger", "system"]

S = State
WITHDRAWABLE = {S.DRAFT, S.REOPENED, S.SUBMITTED, S.FORMAL_CHECK, S.IN_REVIEW, S.ASSESSED, S.WAITLISTED}
# The workflow as PRODUCT.md tells it, written out by hand (not derived from applications/workflow.py):
# transition -> (the states it leaves, the state it enters, the roles of the world below that may fire it).
# A plain member, an officer of another scheme, a reviewer and a stranger may fire nothing.
EXPECTED = {
    "submit": ({S.DRAFT, S.REOPENED}, S.SUBMITTED, {"ansvarlig"}),
    "reopen": ({S.SUBMITTED}, S.REOPENED, {"ansvarlig"}),
    "withdraw": (WITHDRAWABLE, S.WITHDRAWN, {"ansvarlig"}),
    "close-unsubmitted": ({S.DRAFT}, S.NOT_SUBMITTED, {"system"}),
    "close-reopened": ({S.REOPENED}, S.SUBMITTED, {"system"}),
    "start-formal-check": ({S.SUBMITTED}, S.FORMAL_CHECK, {"officer", "system"}),
    "formal-approve": ({S.FORMAL_CHECK}, S.IN_REVIEW, {"officer"}),
    "formal-reject": ({S.FORMAL_CHECK}, S.FORMALLY_REJECTED, {"officer"}),
    "formal-reopen": ({S.FORMALLY_REJECTED}, S.FORMAL_CHECK, {"officer"}),
    "assessment-done": ({S.IN_REVIEW}, S.ASSESSED, {"officer"}),
    "back-to-review": ({S.ASSESSED}, S.IN_REVIEW, {"officer"}),
    "decide-approve": ({S.ASSESSED, S.WAITLISTED}, S.APPROVED, {"officer"}),
    "decide-reject": ({S.ASSESSED, S.WAITLISTED}, S.REJECTED, {"officer"}),
    "decide-waitlist": ({S.ASSESSED}, S.WAITLISTED, {"officer"}),
    "send-offer": ({S.APPROVED}, S.OFFER_SENT, {"officer", "system"}),
    "accept-offer": ({S.OFFER_SENT}, S.ACCEPTED, {"ansvarlig"}),
    "decline-offer": ({S.OFFER_SENT}, S.OFFER_DECLINED, {"ansvarlig"}),
    "lapse-offer": ({S.OFFER_SENT}, S.OFFER_LAPSED, {"system"}),
    "start-reporting": ({S.ACCEPTED}, S.IN_REPORTING, {"officer", "system"}),
    "complete": ({S.IN_REPORTING}, S.COMPLETED, {"officer"}),
}


@pytest.fixture
def world():
    agency = AgencyFactory()
    scheme, other = SchemeFactory(agencies=[agency]), SchemeFactory(agencies=[agency])
    member = MembershipFactory()
    ansvarlig = MembershipFactory(organisation=member.organisation, role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=member.organisation, by_user=member.user, scheme=scheme)
    users = {
        "member": member.user,
        "ansvarlig": ansvarlig.user,
        "officer": StaffRoleFactory(agency=agency, schemes=[scheme]).user,
        "officer_other_scheme": StaffRoleFactory(agency=agency, schemes=[other]).user,
        "reviewer": StaffRoleFactory(agency=agency, role=StaffRole.Role.REVIEWER).user,
        "stranger": MembershipFactory().user,
        "system": None,
    }
    return application, users


def actors(users, role, application):
    return {Actor.SYSTEM} if role == "system" else set(actors_for(users[role], application))


def test_every_state_has_an_applicant_label_and_every_transition_a_label():
    assert set(APPLICANT_LABELS) == set(State)
    assert all(t.label and t.actors and t.sources for t in TRANSITIONS.values())


def test_the_table_has_exactly_the_transitions_written_out_here():
    assert {name: (set(t.sources), t.target) for name, t in TRANSITIONS.items()} == {
        name: (sources, target) for name, (sources, target, _roles) in EXPECTED.items()
    }


def test_the_table_decides_every_transition_from_every_state_for_every_role(world):
    application, users = world
    checked = 0
    for name, (sources, _target, roles) in EXPECTED.items():
        for state in State:
            application.state = state
            for role in ROLES:
                expected = state in sources and role in roles
                try:
                    transition_check(application, name=name, actors=actors(users, role, application))
                    allowed = True
                except TransitionNotAllowed as refused:
                    allowed = False
                    assert refused.code in ("state", "forbidden") and refused.message
                assert allowed == expected, f"{name} from {state} as {role}"
                checked += 1
    assert checked == 20 * 18 * 7  # transitions × states × roles


@pytest.mark.parametrize("name", [n for n, t in TRANSITIONS.items() if not t.own_service])
def test_the_service_fires_what_the_table_allows_and_records_it(world, name):
    application, users = world
    t = TRANSITIONS[name]
    sources, target, roles = EXPECTED[name]
    source = sorted(sources)[0]
    Application.objects.filter(pk=application.pk).update(state=source)
    application.state = source
    if t.after_deadline:  # e.g. the formal check starts once the deadline has passed
        Call.objects.filter(pk=application.call_id).update(closes_at=timezone.now() - timedelta(minutes=5))
    for role in ROLES:
        allowed = role in roles
        events_before = ApplicationEvent.objects.count()
        with transaction.atomic():
            try:
                application_transition(application_id=application.pk, name=name, by_user=users[role],
                                       comment="Begrunnelse")  # fmt: skip
                fired = True
                assert Application.objects.get(pk=application.pk).state == target
                event = ApplicationEvent.objects.latest("pk")
                assert (event.kind, event.from_state, event.to_state) == (EventKind.STATE_CHANGED, source, target)
                assert event.actor == users[role] and event.data["comment"] == "Begrunnelse"
            except TransitionNotAllowed:
                fired = False
                assert Application.objects.get(pk=application.pk).state == source
                assert ApplicationEvent.objects.count() == events_before
            transaction.set_rollback(True)
        assert fired == allowed, f"{name} as {role}"


def test_a_transition_that_needs_a_reason_is_refused_without_one(world):
    application, users = world
    Application.objects.filter(pk=application.pk).update(state=State.FORMALLY_REJECTED)
    with pytest.raises(TransitionNotAllowed) as refused:
        application_transition(application_id=application.pk, name="formal-reopen", by_user=users["officer"])
    assert refused.value.code == "comment"
    assert Application.objects.get(pk=application.pk).state == State.FORMALLY_REJECTED


def test_the_formal_check_cannot_start_before_the_deadline(world):
    """Until the deadline the applicant may reopen and resubmit: the officer cannot take it away."""
    application, users = world
    Application.objects.filter(pk=application.pk).update(state=State.SUBMITTED)
    with pytest.raises(TransitionNotAllowed) as refused:
        application_transition(application_id=application.pk, name="start-formal-check", by_user=users["officer"])
    assert refused.value.code == "early"
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED


def test_decisions_and_formal_checks_go_through_their_own_services_only(world):
    application, users = world
    Application.objects.filter(pk=application.pk).update(state=State.ASSESSED)
    for name in ("decide-approve", "decide-reject", "decide-waitlist"):
        with pytest.raises(TransitionNotAllowed) as refused:
            application_transition(application_id=application.pk, name=name, by_user=users["officer"])
        assert refused.value.code == "service"
    assert Application.objects.get(pk=application.pk).state == State.ASSESSED


def test_submit_goes_through_its_own_service_only(world):
    application, users = world
    with pytest.raises(TransitionNotAllowed) as refused:
        application_transition(application_id=application.pk, name="submit", by_user=users["ansvarlig"])
    assert refused.value.code == "service"


def test_the_buttons_offered_follow_the_table(world):
    application, users = world
    names = [t.name for t in available(state=State.FORMAL_CHECK, actors=actors(users, "officer", application))]
    assert names == ["formal-approve", "formal-reject"]
    assert available(state=State.FORMAL_CHECK, actors=actors(users, "member", application)) == []
