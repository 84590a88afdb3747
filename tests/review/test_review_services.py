"""Review and decision through the services: formal check, reviewers, scores, ranking, four-eyes
decisions within the call's budget, offers and letters."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.models import StaffRole
from applications.errors import ApplicationError
from applications.models import Application, EventKind
from applications.selectors import application_timeline
from applications.services import application_submit
from applications.workflow import State
from organisations.models import Membership
from review.handlers import handle_decision_letter, handle_offer_lapse
from review.models import AssignmentState, Decision, Offer, Outcome
from review.selectors import assessment_for_applicant, panel_ranking
from review.services import (
    conflict_declare,
    consensus_set,
    decision_cancel,
    decision_confirm,
    decision_prepare,
    formal_check_record,
    granted_total,
    offer_answer,
    offer_lapse,
    review_save,
    reviewer_assign,
    reviewer_suggestions,
    reviewers_assign_bulk,
)
from scheduling.models import ScheduledEffect
from tests.applications.helpers import complete_application
from tests.factories import (
    AgencyFactory,
    AssessmentCriterionFactory,
    MembershipFactory,
    OrganisationFactory,
    SchemeFactory,
    StaffRoleFactory,
    call_with_form,
    make_application,
)
from tests.html import normalise

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def due():
    """A reviewer's due date two months after the (controlled) today."""
    return timezone.localdate() + timedelta(days=60)


@pytest.fixture
def call_world(private_storage):
    agency = AgencyFactory()
    scheme = SchemeFactory(agencies=[agency])
    call = call_with_form(scheme=scheme, budget=1_000_000)
    criteria = [
        AssessmentCriterionFactory(call=call, order=1, weight=60),
        AssessmentCriterionFactory(call=call, order=2, weight=40),
    ]
    officers = [StaffRoleFactory(agency=agency, schemes=[scheme]).user for _ in range(2)]
    reviewers = [StaffRoleFactory(agency=agency, role=StaffRole.Role.REVIEWER).user for _ in range(3)]
    return {"call": call, "criteria": criteria, "officers": officers, "reviewers": reviewers}


def submitted(call_world, *, partner=None):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, call=call_world["call"], by_user=ansvarlig.user)
    complete_application(application, ansvarlig.user, partner=partner)
    application_submit(application_id=application.pk, by_user=ansvarlig.user, now=timezone.now())
    Application.objects.filter(pk=application.pk).update(state=State.FORMAL_CHECK)
    application.refresh_from_db()
    application.ansvarlig = ansvarlig.user
    return application


def in_review(call_world, **kwargs):
    application = submitted(call_world, **kwargs)
    formal_check_record(application_id=application.pk, by_user=call_world["officers"][0], approved=True)
    application.refresh_from_db()
    return application


def test_a_formal_rejection_needs_reasons_and_gives_the_appeal_window(call_world):
    application = submitted(call_world)
    officer = call_world["officers"][0]
    with pytest.raises(ApplicationError):
        formal_check_record(application_id=application.pk, by_user=officer, approved=False, comment="Mangler")
    # A minute before midnight, with the clock stopped: the window counts from the day of the decision.
    moment = timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)
    with time_machine.travel(moment, tick=False):
        check = formal_check_record(
            application_id=application.pk,
            by_user=officer,
            approved=False,
            reasons=["mangler-vedlegg"],
            comment="CV mangler",
        )
    assert check.appeal_deadline == moment.date() + timedelta(days=21)
    assert check.findings[0]["code"] == "eligibility"
    application.refresh_from_db()
    assert application.state == State.FORMALLY_REJECTED
    public = [e.kind for e in application_timeline(application=application)]
    assert EventKind.STATE_CHANGED in public  # the applicant sees the rejection


def test_a_member_of_the_applicant_or_a_partner_is_never_assigned(call_world):
    partner = OrganisationFactory(kind="forskning")
    conflicted = call_world["reviewers"][0]
    MembershipFactory(organisation=partner, user=conflicted)
    application = in_review(call_world, partner=partner)
    officer = call_world["officers"][0]
    with pytest.raises(ApplicationError) as refused:
        reviewer_assign(application_id=application.pk, reviewer=conflicted, by_user=officer, due_date=due())
    assert refused.value.code == "conflict"
    assert conflicted not in reviewer_suggestions(application, count=10)
    made = reviewers_assign_bulk(application_ids=[application.pk], by_user=officer, due_date=due())
    assert {a.reviewer for a in made} == set(call_world["reviewers"][1:])


def test_suggestions_balance_the_load(call_world):
    officer = call_world["officers"][0]
    first, second = in_review(call_world), in_review(call_world)
    reviewer_assign(application_id=first.pk, reviewer=call_world["reviewers"][0], by_user=officer, due_date=due())
    suggested = reviewer_suggestions(second, count=3)
    assert suggested[-1] == call_world["reviewers"][0]


def test_a_declared_conflict_removes_the_assignment_and_tells_the_officers(call_world):
    application = in_review(call_world)
    reviewer = call_world["reviewers"][0]
    assignment = reviewer_assign(
        application_id=application.pk, reviewer=reviewer, by_user=call_world["officers"][0], due_date=due()
    )
    with pytest.raises(ApplicationError):
        conflict_declare(assignment_id=assignment.pk, by_user=call_world["reviewers"][1], conflict=False)
    conflict_declare(assignment_id=assignment.pk, by_user=reviewer, conflict=True, note="Tidligere arbeidsgiver")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.CONFLICT
    assert ScheduledEffect.objects.filter(kind="conflict-notice").count() == 2  # both officers
    internal = application.events.filter(kind=EventKind.CONFLICT_DECLARED).get()
    assert internal.internal
    assert EventKind.CONFLICT_DECLARED not in [e.kind for e in application_timeline(application=application)]


def review(call_world, application, reviewer, scores, *, submit=True):
    assignment = reviewer_assign(
        application_id=application.pk, reviewer=reviewer, by_user=call_world["officers"][0], due_date=due()
    )
    conflict_declare(assignment_id=assignment.pk, by_user=reviewer, conflict=False)
    criteria = call_world["criteria"]
    return review_save(
        assignment_id=assignment.pk,
        by_user=reviewer,
        submit=submit,
        recommendation="stott",
        scores={c.pk: (s, f"Kommentar {s}") for c, s in zip(criteria, scores, strict=True)},
    )


def test_scores_must_lie_on_the_scale_and_ranking_uses_consensus_then_the_mean(call_world):
    a, b = in_review(call_world), in_review(call_world)
    reviewer_x, reviewer_y = call_world["reviewers"][:2]
    with pytest.raises(ApplicationError):
        review(call_world, a, reviewer_x, [9, 5])
    review(call_world, b, reviewer_x, [6, 6])
    review(call_world, b, reviewer_y, [4, 2])
    assignment_a = a.assignments.get(reviewer=reviewer_x)
    review_save(
        assignment_id=assignment_a.pk,
        by_user=reviewer_x,
        submit=True,
        recommendation="ikke",
        scores={call_world["criteria"][0].pk: (3, ""), call_world["criteria"][1].pk: (3, "")},
    )
    rows, _summary = panel_ranking(call=call_world["call"])
    assert [r.application for r in rows] == [b, a]
    assert rows[0].weighted == Decimal("4.6")  # (5*60 + 4*40)/100
    assert rows[0].spread == Decimal("2.8")  # 6.0 − 3.2
    assert rows[1].reviews_missing == 1  # two reviewers per application by default
    consensus_set(
        application_id=a.pk, criterion_id=call_world["criteria"][0].pk, score=7, by_user=call_world["officers"][0]
    )
    consensus_set(
        application_id=a.pk, criterion_id=call_world["criteria"][1].pk, score=7, by_user=call_world["officers"][0]
    )
    rows, _summary = panel_ranking(call=call_world["call"])
    assert rows[0].application == a and rows[0].weighted == 7
    assert rows[1].cumulative_requested == rows[0].requested + rows[1].requested


def assessed(call_world):
    application = in_review(call_world)
    review(call_world, application, call_world["reviewers"][0], [5, 5])
    Application.objects.filter(pk=application.pk).update(state=State.ASSESSED)
    return application


def test_a_decision_needs_a_second_officer_and_only_then_the_applicant_sees_it(call_world, mailoutbox):
    application = assessed(call_world)
    first, second = call_world["officers"]
    decision = decision_prepare(
        application_id=application.pk, by_user=first, outcome=Outcome.APPROVE, granted_amount=Decimal(500_000)
    )
    assert Application.objects.get(pk=application.pk).state == State.ASSESSED
    with pytest.raises(ApplicationError) as refused:
        decision_confirm(decision_id=decision.pk, by_user=first)
    assert refused.value.code == "four-eyes"
    decision_confirm(decision_id=decision.pk, by_user=second)
    application.refresh_from_db()
    assert application.state == State.OFFER_SENT
    assert application.offer.amount == 500_000
    for effect in ScheduledEffect.objects.filter(kind="decision-letter"):
        handle_decision_letter(effect)
    assert len(mailoutbox) == 1 and mailoutbox[0].attachments[0][2] == "application/pdf"
    assert assessment_for_applicant(application=application)["rows"][0]["score"] == 5


def test_the_granted_total_never_passes_the_budget(call_world):
    first, second = call_world["officers"]
    a, b = assessed(call_world), assessed(call_world)
    da = decision_prepare(application_id=a.pk, by_user=first, outcome=Outcome.APPROVE, granted_amount=Decimal(600_000))
    db = decision_prepare(application_id=b.pk, by_user=first, outcome=Outcome.APPROVE, granted_amount=Decimal(500_000))
    decision_confirm(decision_id=da.pk, by_user=second)
    with pytest.raises(ApplicationError) as refused:
        decision_confirm(decision_id=db.pk, by_user=second)
    assert refused.value.code == "budget"
    assert Application.objects.get(pk=b.pk).state == State.ASSESSED
    assert not Decision.objects.get(pk=db.pk).confirmed_at


def approve(call_world, application, amount):
    """Prepare an approval of ``amount`` kroner (the first officer) and confirm it (the second)."""
    first, second = call_world["officers"]
    decision = decision_prepare(application_id=application.pk, by_user=first, outcome=Outcome.APPROVE,
                                granted_amount=Decimal(amount))  # fmt: skip
    return decision_confirm(decision_id=decision.pk, by_user=second)


def test_a_decision_that_fills_the_budget_to_the_krone_is_allowed_and_one_krone_more_is_refused(call_world):
    first, second = call_world["officers"]  # the call's budget is 1 000 000 kr
    a, b = assessed(call_world), assessed(call_world)
    approve(call_world, a, 600_000)
    over = decision_prepare(application_id=b.pk, by_user=first, outcome=Outcome.APPROVE,
                            granted_amount=Decimal(400_001))  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        decision_confirm(decision_id=over.pk, by_user=second)
    assert refused.value.code == "budget"
    assert normalise(refused.value.message) == (
        "Utlysningens budsjett er 1 000 000 kr, og 600 000 kr er allerede innvilget. 400 001 kr til får ikke plass."
    )
    # Nothing was written: still assessed, the decision unconfirmed, no offer, the total unchanged.
    assert Application.objects.get(pk=b.pk).state == State.ASSESSED
    assert Decision.objects.get(pk=over.pk).confirmed_at is None
    assert not Offer.objects.filter(application=b).exists()
    assert granted_total(call_world["call"]) == Decimal(600_000)
    decision_cancel(decision_id=over.pk, by_user=first)
    approve(call_world, b, 400_000)
    assert Application.objects.get(pk=b.pk).state == State.OFFER_SENT
    assert granted_total(call_world["call"]) == Decimal(1_000_000)


def test_the_offer_takes_an_answer_in_its_last_second_and_lapses_one_second_later(call_world):
    sent = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(sent, tick=False):
        a, b, c = assessed(call_world), assessed(call_world), assessed(call_world)
        for application in (a, b, c):
            approve(call_world, application, 100_000)
    deadline = Offer.objects.get(application=a).deadline
    # 21 days (the default offer_days) after the day it was sent, at 23:59:59 Norwegian time.
    assert deadline == datetime.combine(sent.date() + timedelta(days=21), time(23, 59, 59), tzinfo=OSLO)
    last_second, one_second_late = deadline, deadline + timedelta(seconds=1)
    # a: an answer in the deadline's own second counts.
    offer_answer(application_id=a.pk, by_user=a.ansvarlig, accept=True, now=last_second)
    assert Offer.objects.get(application=a).answer == Offer.Answer.ACCEPTED
    assert Application.objects.get(pk=a.pk).state == State.IN_REPORTING
    # b: one second later it is refused, and nothing is written.
    with pytest.raises(ApplicationError) as refused:
        offer_answer(application_id=b.pk, by_user=b.ansvarlig, accept=True, now=one_second_late)
    assert refused.value.code == "late"
    assert refused.value.message == f"Svarfristen for tilbudet gikk ut {deadline.astimezone(OSLO):%d.%m.%Y} kl. 23:59."
    assert Offer.objects.get(application=b).answer == ""
    assert Application.objects.get(pk=b.pk).state == State.OFFER_SENT
    # c: the scheduler does not lapse it in its last second, but does one second later.
    assert offer_lapse(application_id=c.pk, now=last_second) is False
    assert Application.objects.get(pk=c.pk).state == State.OFFER_SENT
    assert offer_lapse(application_id=c.pk, now=one_second_late) is True
    assert Application.objects.get(pk=c.pk).state == State.OFFER_LAPSED
    assert ScheduledEffect.objects.get(kind="offer-lapse", target_id=c.pk).due_at == one_second_late


def test_the_offer_is_accepted_before_its_deadline_or_lapses(call_world):
    first, second = call_world["officers"]
    a, b = assessed(call_world), assessed(call_world)
    for application, amount in ((a, 300_000), (b, 200_000)):
        decision = decision_prepare(
            application_id=application.pk, by_user=first, outcome=Outcome.APPROVE, granted_amount=Decimal(amount)
        )
        decision_confirm(decision_id=decision.pk, by_user=second)
    offer_answer(application_id=a.pk, by_user=a.ansvarlig, accept=True)
    assert Application.objects.get(pk=a.pk).state == State.IN_REPORTING  # accepted, then reporting (review.reports)
    lapse = ScheduledEffect.objects.get(kind="offer-lapse", target_id=b.pk)
    assert lapse.due_at == Offer.objects.get(application=b).deadline + timedelta(seconds=1)
    handle_offer_lapse(lapse)  # too early: nothing
    assert Application.objects.get(pk=b.pk).state == State.OFFER_SENT
    Offer.objects.filter(application=b).update(deadline=timezone.now() - timedelta(seconds=1))
    handle_offer_lapse(lapse)
    handle_offer_lapse(lapse)  # a rerun changes nothing
    assert Application.objects.get(pk=b.pk).state == State.OFFER_LAPSED
    with pytest.raises(ApplicationError):
        offer_answer(application_id=b.pk, by_user=b.ansvarlig, accept=True)


def test_the_default_due_date_counts_norwegian_working_days(call_world):
    """15 working days from Wednesday 25 March 2026 skip the weekends and Easter (2–6 April)."""
    import time_machine

    from review.services import default_due_date

    application = in_review(call_world)
    assert default_due_date(application, today=date(2026, 3, 25)) == date(2026, 4, 20)
    with time_machine.travel("2026-03-25 10:00 +01:00", tick=False):
        assignment = reviewer_assign(application_id=application.pk, reviewer=call_world["reviewers"][0],
                                     by_user=call_world["officers"][0])  # fmt: skip
    assert assignment.due_date == date(2026, 4, 20)


def test_the_letter_carries_the_calls_own_text_in_the_readers_language(call_world):
    from django.utils import translation

    from review.letters import letter_context
    from review.models import ReviewSettings

    ReviewSettings.objects.create(call=call_world["call"], letter_reject="Les mer om nye utlysninger.",
                                  letter_reject_en="Read about new calls.")  # fmt: skip
    application = assessed(call_world)
    first, second = call_world["officers"]
    decision = decision_prepare(application_id=application.pk, by_user=first, outcome=Outcome.REJECT)
    decision = decision_confirm(decision_id=decision.pk, by_user=second)
    with translation.override("en"):
        assert letter_context(decision=decision)["call_text"] == "Read about new calls."
    with translation.override("nn"):  # no nynorsk text: bokmål
        assert letter_context(decision=decision)["call_text"] == "Les mer om nye utlysninger."


def test_an_agency_administrator_sets_review_settings_only_for_its_own_calls(client, call_world):
    from review.models import ReviewSettings
    from tests.factories import CallFactory
    from tests.otp import force_login_verified

    agency = call_world["call"].scheme.agencies.get()
    administrator = StaffRoleFactory(agency=agency, role=StaffRole.Role.ADMINISTRATOR, user__is_staff=True).user
    from django.contrib.auth.models import Permission

    administrator.user_permissions.add(*Permission.objects.filter(codename__endswith="reviewsettings"))
    other_call = CallFactory()
    force_login_verified(client, administrator)
    data = {"call": other_call.pk, "reviewers_per_application": 2, "review_working_days": 15, "appeal_weeks": 3,
            "offer_days": 21}  # fmt: skip
    response = client.post("/admin/review/reviewsettings/add/", data)
    assert response.status_code == 200 and not ReviewSettings.objects.exists()  # not a choice for them
    response = client.post("/admin/review/reviewsettings/add/", {**data, "call": call_world["call"].pk})
    assert response.status_code == 302 and ReviewSettings.objects.get().call == call_world["call"]


def test_an_officer_who_belongs_to_the_applicant_does_not_handle_its_case(call_world):
    application = submitted(call_world)
    officer = call_world["officers"][0]
    MembershipFactory(organisation=application.organisation, user=officer)
    with pytest.raises(ApplicationError) as refused:
        formal_check_record(application_id=application.pk, by_user=officer, approved=True)
    assert refused.value.code == "conflict"
    assert Application.objects.get(pk=application.pk).state == State.FORMAL_CHECK
    formal_check_record(application_id=application.pk, by_user=call_world["officers"][1], approved=True)


def test_the_letter_goes_only_to_people_still_in_the_applicant_organisation(call_world, mailoutbox):
    application = assessed(call_world)
    colleague = MembershipFactory(organisation=application.organisation, role=Membership.Role.ANSVARLIG).user
    Membership.objects.filter(user=application.ansvarlig, organisation=application.organisation).delete()
    first, second = call_world["officers"]
    decision = decision_prepare(application_id=application.pk, by_user=first, outcome=Outcome.REJECT)
    decision_confirm(decision_id=decision.pk, by_user=second)
    for effect in ScheduledEffect.objects.filter(kind="decision-letter"):
        handle_decision_letter(effect)
    assert [m.to for m in mailoutbox] == [[colleague.email]]  # not the submitter who has left


def test_a_receipt_downloaded_by_an_officer_is_on_the_agencys_audit_not_the_applicants(client, call_world):
    from django.urls import reverse

    from applications.models import ApplicationEvent
    from tests.otp import force_login_verified

    application = submitted(call_world)
    url = reverse("application-receipt", args=[application.pk, 1])
    client.force_login(application.ansvarlig)
    assert client.get(url).status_code == 200
    assert not ApplicationEvent.objects.filter(application=application, kind=EventKind.FILE_DOWNLOADED).exists()
    force_login_verified(client, call_world["officers"][0])
    assert client.get(url).status_code == 200
    row = ApplicationEvent.objects.get(application=application, kind=EventKind.FILE_DOWNLOADED)
    assert row.internal and row.actor == call_world["officers"][0]
