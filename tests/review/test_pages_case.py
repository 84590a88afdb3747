"""The officer's case page and its actions through the Django client: who sees it, what each form
does, what a refusal looks like (what was typed stays, nothing is written), and the audit."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffRole
from applications.models import Application, ApplicationEvent, ApplicationVersion, EventKind
from applications.workflow import State
from review.models import AssignmentState, ConsensusScore, Decision, FormalCheck, Outcome, ReviewAssignment
from review.services import decision_confirm, decision_prepare, reviewer_assign
from schemes.models import Call
from tests.factories import MembershipFactory, SchemeFactory, StaffRoleFactory
from tests.html import by_role, field_value, parse, visible_text
from tests.otp import force_login_verified
from tests.review.test_review_services import assessed, due, in_review, review, submitted

pytestmark = pytest.mark.django_db


def case_url(application):
    return reverse("staff-application", args=[application.pk])


def as_staff(client, user):
    client.logout()
    force_login_verified(client, user)
    return client


def test_the_case_page_is_for_the_officers_of_the_scheme_only(client, call_world):
    application = submitted(call_world)
    other_scheme = SchemeFactory(agencies=[call_world["call"].scheme.agencies.get()])
    stranger = StaffRoleFactory(agency=other_scheme.agencies.get(), schemes=[other_scheme]).user
    assert as_staff(client, stranger).get(case_url(application)).status_code == 404
    reviewer = call_world["reviewers"][0]
    assert as_staff(client, reviewer).get(case_url(application)).status_code == 404
    client.logout()
    client.force_login(application.ansvarlig)
    assert client.get(case_url(application)).status_code == 403  # not staff
    # A minute before midnight, with the clock stopped: the appeal date is three weeks after today.
    moment = timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)
    with time_machine.travel(moment, tick=False):
        response = as_staff(client, call_world["officers"][0]).get(case_url(application))
    assert response.status_code == 200
    page = parse(response)
    assert "Digital tilsynsassistent" in visible_text(page)  # the submitted content
    assert by_role(page, "button", "Registrer formell kontroll")
    appeal = moment.date() + timedelta(days=21)
    assert f"Ved avvisning får søkeren klagefrist til {appeal:%d.%m.%Y}." in visible_text(page)


def test_an_assigned_reviewer_also_gets_404_on_the_case_page(client, call_world):
    application = in_review(call_world)
    reviewer = call_world["reviewers"][0]
    reviewer_assign(application_id=application.pk, reviewer=reviewer, by_user=call_world["officers"][0], due_date=due())
    assert as_staff(client, reviewer).get(case_url(application)).status_code == 404


def test_a_formal_rejection_without_reasons_keeps_the_text_and_writes_nothing(client, call_world):
    # A minute before midnight, with the clock stopped: the appeal window counts from the decision's day.
    moment = timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)
    with time_machine.travel(moment, tick=False):
        application = submitted(call_world)
        as_staff(client, call_world["officers"][0])
        url = reverse("staff-application-formal-check", args=[application.pk])
        response = client.post(url, {"result": "avvis", "comment": "CV-en mangler helt"})
        assert response.status_code == 200
        assert "Velg minst én grunn for å avvise søknaden." in visible_text(response)
        assert "CV-en mangler helt" in visible_text(response)
        assert not FormalCheck.objects.exists()
        assert Application.objects.get(pk=application.pk).state == State.FORMAL_CHECK
        response = client.post(url, {"result": "avvis", "reasons": ["mangler-vedlegg"], "comment": "CV-en mangler"})
        assert response.status_code == 302
        check = FormalCheck.objects.get()
        assert check.reasons == ["mangler-vedlegg"] and check.appeal_deadline == moment.date() + timedelta(days=21)
        assert Application.objects.get(pk=application.pk).state == State.FORMALLY_REJECTED
        page = visible_text(client.get(case_url(application)))
        assert "Avvist formelt av" in page and "Registrer formell kontroll" not in page


def test_a_formal_approval_opens_the_review_and_the_assign_form(client, call_world):
    application = submitted(call_world)
    as_staff(client, call_world["officers"][0])
    response = client.post(reverse("staff-application-formal-check", args=[application.pk]), {"result": "godkjenn"})
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).state == State.IN_REVIEW
    page = visible_text(client.get(case_url(application)))
    assert "Tildel en fagekspert" in page
    for reviewer in call_world["reviewers"]:
        assert reviewer.full_name in page  # suggested, with their load
    assert "(0 åpne tildelinger)" in page


def test_the_submitted_application_is_started_through_the_table_s_button(client, call_world):
    application = submitted(call_world)
    Application.objects.filter(pk=application.pk).update(state=State.SUBMITTED)
    as_staff(client, call_world["officers"][0])
    # Before the deadline the applicant may still reopen it: no button, and a forged post is refused.
    assert "Start formell kontroll" not in visible_text(client.get(case_url(application)))
    client.post(reverse("staff-application-transition", args=[application.pk]), {"transition": "start-formal-check"})
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED
    Call.objects.filter(pk=application.call_id).update(closes_at=timezone.now() - timedelta(minutes=5))
    assert "Start formell kontroll" in visible_text(client.get(case_url(application)))
    url = reverse("staff-application-transition", args=[application.pk])
    client.post(url, {"transition": "complete"})  # not offered now: nothing happens
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED
    assert client.post(url, {"transition": "start-formal-check"}).status_code == 302
    assert Application.objects.get(pk=application.pk).state == State.FORMAL_CHECK


def test_a_member_of_the_applicant_is_refused_as_reviewer_in_norwegian(client, call_world):
    application = in_review(call_world)
    conflicted = call_world["reviewers"][0]
    MembershipFactory(organisation=application.organisation, user=conflicted)
    as_staff(client, call_world["officers"][0])
    url = reverse("staff-application-assign", args=[application.pk])
    typed = f"{due():%d.%m.%Y}"
    response = client.post(url, {"reviewer": conflicted.pk, "due_date": typed})
    assert response.status_code == 200
    assert "er knyttet til søkeren eller en partner og kan ikke vurdere søknaden." in visible_text(response)
    assert field_value(response, "Frist for vurderingen") == typed
    assert not ReviewAssignment.objects.exists()
    other = call_world["reviewers"][1]
    response = client.post(url, {"reviewer": other.pk, "due_date": typed})
    assert response.status_code == 302
    assignment = ReviewAssignment.objects.get()
    assert assignment.reviewer == other and assignment.due_date == due()
    page = visible_text(client.get(case_url(application)))
    assert "Venter på habilitetserklæring" in page and typed in page


def test_overdue_assignments_are_flagged(client, call_world):
    application = in_review(call_world)
    officer = call_world["officers"][0]
    reviewer_assign(application_id=application.pk, reviewer=call_world["reviewers"][0], by_user=officer, due_date=due())
    as_staff(client, officer)
    assert "Forfalt" not in visible_text(client.get(case_url(application)))
    ReviewAssignment.objects.update(due_date=timezone.localdate() - timedelta(days=1))
    assert "Forfalt" in visible_text(client.get(case_url(application)))


def test_scores_consensus_and_assessment_complete(client, call_world):
    application = in_review(call_world)
    review(call_world, application, call_world["reviewers"][0], [6, 4])
    officer = call_world["officers"][0]
    as_staff(client, officer)
    page = visible_text(client.get(case_url(application)))
    assert "Kommentar 6" in page and "Bør få støtte" in page  # the staff see scores and comments
    criterion = call_world["criteria"][0]
    url = reverse("staff-application-consensus", args=[application.pk])
    response = client.post(url, {"criterion": criterion.pk, "score": "9"})
    assert response.status_code == 200 and "Velg et gyldig valg" in visible_text(response)
    assert not ConsensusScore.objects.exists()
    assert client.post(url, {"criterion": "x", "score": "5"}).status_code == 404
    response = client.post(url, {"criterion": criterion.pk, "score": "5", "comment": "Enige"})
    assert response.status_code == 302
    assert ConsensusScore.objects.get().score == 5
    assert client.post(reverse("staff-application-assessed", args=[application.pk])).status_code == 302
    assert Application.objects.get(pk=application.pk).state == State.ASSESSED
    page = visible_text(client.get(case_url(application)))
    assert "Vurdering ferdig" not in page and "Tilbake til fagvurdering" in page and "Forbered vedtak" in page


def test_a_decision_is_prepared_by_one_officer_and_confirmed_by_another(client, call_world):
    application = assessed(call_world)
    first, second = call_world["officers"]
    as_staff(client, first)
    url = reverse("staff-decision-prepare", args=[application.pk])
    response = client.post(url, {"outcome": "innvilg", "granted_amount": "700 000", "comment": "Godt prosjekt"})
    assert response.status_code == 200
    assert "Beløpet kan være høyst 600 000 kr." in visible_text(response)
    assert field_value(response, "Innvilget beløp (kr)") == "700 000"
    assert "Godt prosjekt" in visible_text(response)
    assert not Decision.objects.exists()
    response = client.post(url, {"outcome": "innvilg", "granted_amount": "500 000", "comment": "Godt prosjekt"})
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.granted_amount == 500_000 and decision.prepared_by == first
    page = visible_text(client.get(case_url(application)))
    assert "En annen saksbehandler må bekrefte vedtaket." in page and first.full_name in page
    confirm = reverse("staff-decision-confirm", args=[decision.pk])
    response = client.post(confirm)
    assert response.status_code == 200
    assert "må bekreftes av en annen saksbehandler" in visible_text(response)
    assert Application.objects.get(pk=application.pk).state == State.ASSESSED
    as_staff(client, second)
    assert by_role(client.get(case_url(application)), "button", "Bekreft")
    assert client.post(confirm).status_code == 302
    assert Application.objects.get(pk=application.pk).state == State.OFFER_SENT
    assert "bekreftet av" in visible_text(client.get(case_url(application)))


def test_a_confirmation_past_the_budget_is_refused_with_the_figures(client, call_world):
    first, second = call_world["officers"]
    a, b = assessed(call_world), assessed(call_world)
    Call.objects.filter(pk=call_world["call"].pk).update(budget=800_000)
    da = decision_prepare(application_id=a.pk, by_user=first, outcome=Outcome.APPROVE, granted_amount=Decimal(500_000))
    decision_confirm(decision_id=da.pk, by_user=second)
    db = decision_prepare(application_id=b.pk, by_user=first, outcome=Outcome.APPROVE, granted_amount=Decimal(400_000))
    as_staff(client, second)
    response = client.post(reverse("staff-decision-confirm", args=[db.pk]))
    assert response.status_code == 200
    assert (
        "Utlysningens budsjett er 800 000 kr, og 500 000 kr er allerede innvilget. 400 000 kr til får ikke plass."
        in visible_text(response)
    )
    assert Application.objects.get(pk=b.pk).state == State.ASSESSED
    assert client.post(reverse("staff-decision-cancel", args=[db.pk])).status_code == 302
    assert Decision.objects.get(pk=db.pk).cancelled_at is not None
    assert "Forbered vedtak" in visible_text(client.get(case_url(b)))


def test_decisions_of_another_scheme_are_404(client, call_world):
    first = call_world["officers"][0]
    application = assessed(call_world)
    decision = decision_prepare(application_id=application.pk, by_user=first, outcome=Outcome.REJECT)
    other_scheme = SchemeFactory()
    stranger = StaffRoleFactory(agency=other_scheme.agencies.get(), schemes=[other_scheme]).user
    as_staff(client, stranger)
    assert client.post(reverse("staff-decision-confirm", args=[decision.pk])).status_code == 404
    assert client.post(reverse("staff-decision-cancel", args=[decision.pk])).status_code == 404
    assert (
        client.post(reverse("staff-decision-prepare", args=[application.pk]), {"outcome": "avsla"}).status_code == 404
    )
    assert Decision.objects.get().confirmed_at is None and Decision.objects.get().cancelled_at is None


def test_the_audit_shows_who_when_from_to_and_comment(client, call_world):
    application = in_review(call_world)
    officer = call_world["officers"][0]
    reviewer_assign(application_id=application.pk, reviewer=call_world["reviewers"][0], by_user=officer, due_date=due())
    as_staff(client, officer)
    page = visible_text(client.get(case_url(application)))
    assert "Fagekspert tildelt" in page and call_world["reviewers"][0].full_name in page
    assert "Formell kontroll" in page and "Til fagvurdering" in page and "Formelt godkjent" in page


def _downloads(application):
    return ApplicationEvent.objects.filter(application=application, kind=EventKind.FILE_DOWNLOADED)


def test_staff_downloads_are_audited_and_the_applicant_s_are_not(client, call_world):
    application = in_review(call_world)
    stored = application.files.first().stored_file
    url = reverse("file-download", args=[stored.pk])
    client.force_login(application.ansvarlig)
    assert client.get(url).status_code == 200
    assert not _downloads(application).exists()
    officer = call_world["officers"][0]
    as_staff(client, officer)
    response = client.get(url)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = _downloads(application).get()
    assert event.internal and event.actor == officer and event.data["file"] == stored.display_name
    assert "Vedlegg lastet ned av saksbehandler" in visible_text(client.get(case_url(application)))


def test_a_reviewer_downloads_only_after_declaring_no_conflict_and_it_is_audited(client, call_world):
    application = in_review(call_world)
    reviewer = call_world["reviewers"][0]
    assignment = reviewer_assign(
        application_id=application.pk, reviewer=reviewer, by_user=call_world["officers"][0], due_date=due()
    )
    url = reverse("file-download", args=[application.files.first().stored_file_id])
    as_staff(client, reviewer)
    assert client.get(url).status_code == 404
    ReviewAssignment.objects.filter(pk=assignment.pk).update(state=AssignmentState.ACTIVE)
    assert client.get(url).status_code == 200
    assert _downloads(application).get().actor == reviewer
    as_staff(client, call_world["reviewers"][1])  # not assigned
    assert client.get(url).status_code == 404


def test_the_case_page_has_a_fixed_number_of_queries(client, call_world, django_assert_num_queries):
    """12 queries however many reviewers, scores, consensus scores, decisions, formal checks,
    versions, events and conflicted members the case has: the session, the person, the two-factor
    device, the staff roles, the application (with its call's settings, its last version, newest
    formal check and the person's role in the applicant), the row of the access log its opening
    writes (review/access_log.py), the assignments, their scores, the criteria (with consensus),
    the decisions, the history and the reviewer suggestions (the session, written less than a
    minute ago, is not written again: portal/sessions.py)."""
    application = in_review(call_world)
    officer = call_world["officers"][0]
    agency = call_world["call"].scheme.agencies.get()
    review(call_world, application, call_world["reviewers"][0], [5, 6])  # one of everything
    as_staff(client, officer)
    client.get(case_url(application))  # warm the per-process caches (translations, templates)
    with django_assert_num_queries(12):
        assert client.get(case_url(application)).status_code == 200

    for _n in range(10):
        reviewer = StaffRoleFactory(agency=agency, role=StaffRole.Role.REVIEWER).user
        reviewer_assign(application_id=application.pk, reviewer=reviewer, by_user=officer, due_date=due())
    review(call_world, application, call_world["reviewers"][1], [4, 6])
    for criterion in call_world["criteria"]:
        ConsensusScore.objects.create(application=application, criterion=criterion, score=5, set_by=officer)
    for _n in range(3):
        Decision.objects.create(application=application, outcome=Outcome.REJECT, prepared_by=officer,
                                cancelled_at=timezone.now())  # fmt: skip
    newest = FormalCheck.objects.create(application=application, approved=True, checked_by=call_world["officers"][1],
                                        checked_at=timezone.now() + timedelta(minutes=1))  # fmt: skip
    first = application.versions.get()
    for number in (2, 3):
        ApplicationVersion.objects.create(application=application, number=number, submitted_at=first.submitted_at,
                                          submitted_by=first.submitted_by, content=first.content,
                                          content_sha256=first.content_sha256)  # fmt: skip
    for _n in range(5):
        MembershipFactory(organisation=application.organisation)
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(application=application, kind=EventKind.SAVED, actor=officer, internal=True)
        for _n in range(200)
    )
    with django_assert_num_queries(12):
        response = client.get(case_url(application))
    assert response.status_code == 200
    page = visible_text(response)
    assert page.count("Venter på habilitetserklæring") == 10
    assert f"Formelt godkjent av {newest.checked_by}" in page  # the newest check
    assert re.search(r"<dt>Versjon</dt>\s*<dd>3</dd>", response.content.decode())  # the last version
    for criterion in call_world["criteria"]:  # the consensus scores, in their forms
        assert field_value(parse(response), f"Omforent karakter for {criterion.name}") == "5"
    assert page.count("Kommentarene til") == 2


def test_reviewers_with_ids_above_a_thousand_can_be_chosen(client, call_world):
    """Radio values are written without a thousands separator («2 428» would not be read back)."""
    from accounts.models import StaffRole
    from tests.factories import StaffRoleFactory, UserFactory

    application = in_review(call_world)
    agency = call_world["call"].scheme.agencies.get()
    reviewer = StaffRoleFactory(agency=agency, role=StaffRole.Role.REVIEWER, user=UserFactory(id=12_345)).user
    as_staff(client, call_world["officers"][0])
    assert (
        by_role(client.get(case_url(application)), "radio", re.compile(reviewer.full_name))[0].get("value") == "12345"
    )
    response = client.post(reverse("staff-application-assign", args=[application.pk]),
                           {"reviewer": "12345", "due_date": f"{due():%d.%m.%Y}"})  # fmt: skip
    assert response.status_code == 302
    assert ReviewAssignment.objects.get(application=application).reviewer == reviewer
