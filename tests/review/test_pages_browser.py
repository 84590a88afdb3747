"""Review and decision in Chromium: two officers and a reviewer take a call with three applications
from the formal check to an accepted offer (one formally rejected, one the reviewer is conflicted
on), the letter is mailed by the scheduler with its PDF, and every page passes axe in bokmål; the
case page, the review form and the offer page in nynorsk and English too."""

import re
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application
from applications.workflow import State
from portal.celery import app as celery_app
from review.models import AssignmentState, Outcome, ReviewAssignment
from review.services import conflict_declare, decision_confirm, decision_prepare, reviewer_assign
from scheduling.engine import effects_sweep
from schemes.models import AssessmentCriterion
from tests.accessibility import assert_accessible
from tests.browser import choose_language, log_in, log_out
from tests.factories import DEFAULT_PASSWORD
from tests.otp import totp_device
from tests.review.test_review_services import assessed, due, in_review, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LABELS = {"7": "Fremragende", "4": "God", "1": "Dårlig"}


def case_url(site_url, application):
    return site_url + reverse("staff-application", args=[application.pk])


def log_in_as(page, site_url, user, *, staff=True):
    log_out(page)
    log_in(page, site_url, user.email, DEFAULT_PASSWORD, device=totp_device(user) if staff else None)


def expect_message(page, text):
    messages = page.locator(".portal-messages")
    assert messages.count(), f"no message; the page says: {main_text(page)[:1500]}"
    assert text in messages.inner_text(), messages.inner_text()


def main_text(page) -> str:
    return page.locator("main").inner_text().replace("\xa0", " ")


def run_scheduled_effects():
    """What the beat and the worker would do now: claim the due rows and run their tasks (inline)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        effects_sweep()
    finally:
        celery_app.conf.task_always_eager = before


@pytest.fixture
def scheduler_in_this_process():
    """The effects are run here (``run_scheduled_effects``), not by a live worker that an earlier
    test of the session may have left running: nothing is published to the broker meanwhile."""
    with mock.patch("scheduling.tasks.sweep.apply_async"):
        yield


def test_a_call_from_formal_check_to_an_accepted_offer(page, site_url, call_world, scheduler_in_this_process):
    first, second = call_world["officers"]
    reviewer = call_world["reviewers"][0]
    c1, c2 = call_world["criteria"]
    AssessmentCriterion.objects.filter(call=call_world["call"]).update(scale_labels=LABELS)
    good, incomplete, conflicted = (submitted(call_world) for _n in range(3))

    # Officer A: the formal check of all three, and a reviewer for the two that pass.
    log_in_as(page, site_url, first)
    for application in (good, incomplete, conflicted):
        page.goto(case_url(site_url, application))
        if application is good:
            assert_accessible(page, context="case page, formal check (nb)")
        if application is incomplete:
            page.get_by_label("Avvis formelt").check()
            page.get_by_role("button", name="Registrer formell kontroll").click()
            expect(page.locator(".ds-error-summary")).to_be_visible()  # no reason, no text: refused
            assert_accessible(page, context="case page, formal check refused (nb)")
            page.get_by_label("Påkrevd vedlegg mangler").check()
            page.get_by_label("Begrunnelse til søkeren").fill("Prosjektbeskrivelsen mangler.")
            page.get_by_role("button", name="Registrer formell kontroll").click()
            expect_message(page, "Søknaden er avvist formelt.")
            continue
        page.get_by_label("Godkjenn: søknaden går til fagvurdering").check()
        page.get_by_role("button", name="Registrer formell kontroll").click()
        expect_message(page, "Søknaden er formelt godkjent")
        choice = page.locator(f'input[type="radio"][name="reviewer"][value="{reviewer.pk}"]')
        assert (
            re.escape(reviewer.full_name)
            and reviewer.full_name in page.locator(f'label[for="{choice.get_attribute("id")}"]').inner_text()
        )
        choice.check()
        assert choice.is_checked()
        page.get_by_role("button", name="Tildel", exact=True).click()
        expect_message(page, f"{reviewer.full_name} er tildelt søknaden.")
    assert_accessible(page, context="case page, in review (nb)")

    # The reviewer: conflicted on one; declares no conflict on the other, drafts, then delivers.
    log_in_as(page, site_url, reviewer)
    page.goto(site_url + reverse("reviewer-assignments"))
    assert_accessible(page, context="reviewer's list (nb)")
    assignment = ReviewAssignment.objects.get(application=conflicted)
    page.locator(f'a[href="{reverse("reviewer-assignment", args=[assignment.pk])}"]').click()
    page.get_by_label("Ja, jeg er inhabil").check()
    page.get_by_label("Hvorfor er du inhabil?").fill("Jeg har jobbet hos søkeren.")
    page.get_by_role("button", name="Send erklæringen").click()
    expect_message(page, "Du er fritatt fra søknaden")
    assignment = ReviewAssignment.objects.get(application=good)
    page.locator(f'a[href="{reverse("reviewer-assignment", args=[assignment.pk])}"]').click()
    assert "Vi prøver ut en assistent." not in page.content()  # nothing of the content yet
    assert_accessible(page, context="conflict declaration (nb)")
    page.get_by_label("Nei, jeg er ikke inhabil og kan vurdere søknaden").check()
    page.get_by_role("button", name="Send erklæringen").click()
    expect_message(page, "Søknaden er åpnet for deg.")
    assert "Vi prøver ut en assistent." in page.content()
    assert_accessible(page, context="review form (nb)")
    page.get_by_role("group", name=f"Karakter for {c1.name}").get_by_label("7 – Fremragende").check()
    page.get_by_label(f"Kommentar til {c1.name}").fill("Svært godt begrunnet behov.")
    page.get_by_role("button", name="Lagre utkast").click()
    expect_message(page, "Utkastet er lagret.")
    page.get_by_role("group", name=f"Karakter for {c2.name}").get_by_label("4 – God").check()
    page.get_by_label("Bør få støtte", exact=True).check()
    page.get_by_label("Samlet vurdering").fill("Anbefales.")
    page.get_by_role("button", name="Lever vurdering").click()
    expect_message(page, "Vurderingen er levert.")
    assert ReviewAssignment.objects.get(pk=assignment.pk).state == AssignmentState.SUBMITTED
    assert ReviewAssignment.objects.get(application=conflicted).state == AssignmentState.CONFLICT

    # Officer A: consensus, «Vurdering ferdig», and the decision prepared.
    log_in_as(page, site_url, first)
    page.goto(case_url(site_url, good))
    assert "Svært godt begrunnet behov." in page.content()
    page.get_by_label(f"Omforent karakter for {c2.name}").select_option("5")
    page.get_by_role("button", name=f"Lagre {c2.name}").click()
    expect_message(page, "Omforent karakter er lagret.")
    page.get_by_role("button", name="Vurdering ferdig").click()
    expect_message(page, "Vurderingen er ferdig.")
    page.get_by_label("Innvilg", exact=True).check()
    page.get_by_label("Innvilget beløp (kr)").fill("700 000")
    page.get_by_role("button", name="Forbered vedtak").click()
    assert "Beløpet kan være høyst 600 000 kr." in main_text(page)  # more than requested: refused
    assert_accessible(page, context="case page, decision refused (nb)")
    page.get_by_label("Innvilget beløp (kr)").fill("500 000")
    page.get_by_label("Begrunnelse", exact=True).fill("Prosjektet svarer godt på utlysningen.")
    page.get_by_role("button", name="Forbered vedtak").click()
    expect_message(page, "Vedtaket er forberedt.")
    assert page.get_by_role("button", name="Bekreft").count() == 0  # not by the one who prepared it
    assert_accessible(page, context="case page, decision prepared (nb)")

    # Officer B confirms.
    log_in_as(page, site_url, second)
    page.goto(case_url(site_url, good))
    page.get_by_role("button", name="Bekreft").click()
    expect_message(page, "Vedtaket er bekreftet.")
    assert Application.objects.get(pk=good.pk).state == State.OFFER_SENT
    assert_accessible(page, context="case page, decided (nb)")

    # The scheduler sends the letter, with the PDF.
    mail.outbox.clear()
    run_scheduled_effects()
    letters = [m for m in mail.outbox if m.to == [good.ansvarlig.email] and "Vedtak i sak" in m.subject]
    assert len(letters) == 1
    (name, content, mimetype) = letters[0].attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF") and name.endswith(".pdf")

    # The applicant's ansvarlig reads the result and accepts the offer.
    log_in_as(page, site_url, good.ansvarlig, staff=False)
    page.goto(site_url + reverse("application-offer", args=[good.pk]))
    assert "500 000 kr" in main_text(page)
    assert reviewer.full_name not in page.content() and "Svært godt begrunnet behov." not in page.content()
    assert_accessible(page, context="offer page (nb)")
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned vedtaksbrevet (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_label("Vi aksepterer tilbudet").check()
    page.get_by_role("button", name="Send svaret").click()
    expect_message(page, "Dere har akseptert tilbudet.")
    assert Application.objects.get(pk=good.pk).state == State.IN_REPORTING  # accepted, then reporting

    # The formally rejected applicant sees the reasons and the appeal deadline.
    log_in_as(page, site_url, incomplete.ansvarlig, staff=False)
    page.goto(site_url + reverse("application-offer", args=[incomplete.pk]))
    assert "Påkrevd vedlegg mangler" in page.content() and "Dere kan klage på avvisningen innen" in page.content()
    assert_accessible(page, context="formal rejection (nb)")


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_main_pages_are_accessible_in_nynorsk_and_english(page, site_url, call_world, language):
    first, second = call_world["officers"]
    reviewer = call_world["reviewers"][0]
    AssessmentCriterion.objects.filter(call=call_world["call"]).update(scale_labels=LABELS)
    reviewing = in_review(call_world)
    assignment = reviewer_assign(application_id=reviewing.pk, reviewer=reviewer, by_user=first, due_date=due())
    conflict_declare(assignment_id=assignment.pk, by_user=reviewer, conflict=False)
    offered = assessed(call_world)
    decision = decision_prepare(
        application_id=offered.pk, by_user=first, outcome=Outcome.APPROVE, granted_amount=Decimal(400_000)
    )
    decision_confirm(decision_id=decision.pk, by_user=second)

    log_in_as(page, site_url, first)
    choose_language(page, language)
    page.goto(case_url(site_url, reviewing))
    assert_accessible(page, context=f"case page ({language})")
    log_in_as(page, site_url, reviewer)
    choose_language(page, language)
    page.goto(site_url + reverse("reviewer-assignment", args=[assignment.pk]))
    assert_accessible(page, context=f"review form ({language})")
    log_in_as(page, site_url, offered.ansvarlig, staff=False)
    choose_language(page, language)
    page.goto(site_url + reverse("application-offer", args=[offered.pk]))
    assert_accessible(page, context=f"offer page ({language})")
