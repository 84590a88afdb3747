"""Issue 13's applicant fixes in Chromium: «Start søknad» with one stage without JavaScript, the
overview after the deadline, and the timeline — each as a person meets it, with axe."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.services import application_submit
from organisations.models import Membership
from schemes.models import Call, CallStage
from tests.accessibility import assert_accessible
from tests.applications.helpers import complete_application
from tests.browser import choose_language, log_in
from tests.factories import DEFAULT_PASSWORD, CallFactory, MembershipFactory, make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_without_javascript_start_with_a_single_stage_goes_straight_to_the_new_application(page_nojs, site_url):
    from applications.services import call_form_save
    from tests.example_forms import FULL_FORM

    call = CallFactory(title="Utlysning med ett trinn")
    stage = CallStage.objects.create(call=call, kind=CallStage.Kind.FULL, order=1)
    call_form_save(call=call, stage=stage, definition=FULL_FORM, by_user=None)
    member = MembershipFactory()
    log_in(page_nojs, site_url, member.user.email, DEFAULT_PASSWORD)
    page_nojs.goto(site_url + reverse("application-start", args=[call.slug]))
    assert page_nojs.get_by_role("radio", name="Hovedsøknad", exact=False).is_checked()
    page_nojs.get_by_role("button", name="Start søknad").click()
    page_nojs.wait_for_load_state()
    application = Application.objects.get()
    assert application.stage == stage
    assert page_nojs.url == site_url + reverse("application-detail", args=[application.pk])


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_overview_after_the_deadline_says_what_happened_and_is_accessible(page, site_url, language):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    Call.objects.filter(pk=application.call_id).update(closes_at=timezone.now() - timedelta(hours=1))
    log_in(page, site_url, ansvarlig.user.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("home"))
    if language != "nb":
        choose_language(page, language)
    page.goto(site_url + reverse("application-detail", args=[application.pk]))
    alert = page.locator(".ds-alert").filter(has=page.get_by_role("heading", level=2))
    heading = alert.get_by_role("heading", level=2).inner_text()
    assert heading.startswith({"nb": "Fristen gikk ut ", "en": "The deadline passed on "}[language])
    for dead in ("application-submit", "application-withdraw"):  # no link to a page that cannot work
        assert page.locator(f'a[href="{reverse(dead, args=[application.pk])}"]').count() == 0
    assert (
        page.get_by_role("link", name={"nb": "se siden om ordningen", "en": "see the scheme's page"}[language]).count()
        == 1
    )
    assert_accessible(page, context=f"overview after the deadline ({language})")


def test_the_timeline_is_accessible_and_says_what_happens_next(page, site_url, private_storage):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    complete_application(application, ansvarlig.user)
    application_submit(application_id=application.pk, by_user=ansvarlig.user, now=timezone.now())
    log_in(page, site_url, ansvarlig.user.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("application-timeline", args=[application.pk]))
    last = page.locator("table tbody tr").last
    assert "Søknaden er sendt inn." in last.inner_text()
    assert "Formell kontroll etter fristen" in last.inner_text()
    assert page.get_by_role("columnheader", name="Hva skjer videre").count() == 1
    assert_accessible(page, context="timeline")
