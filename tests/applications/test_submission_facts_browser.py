"""The submit page with a soft rule («normally …») the application does not meet, in Chromium: the
warning asks for a justification, a refused submit keeps what was typed, and the page passes axe
before and after the error (nb and en)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application
from applications.workflow import State
from organisations.models import Membership
from schemes.eligibility import rules_from_json
from schemes.services import ruleset_update
from tests.accessibility import assert_accessible
from tests.applications.helpers import complete_application
from tests.browser import log_in
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, full_form_with_facts, make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOFT = [
    {"type": "own-funding-share", "params": {"minimum": "60"}, "severity": "soft"},
    {"type": "officer-judgement", "params": {"statement_nb": "Prosjektet er relevant for virksomheten."}},
]


@pytest.fixture
def with_warning(private_storage):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG, user__full_name="Ansvarlig Anne")
    application = make_application(
        organisation=ansvarlig.organisation, by_user=ansvarlig.user, definition=full_form_with_facts()
    )
    complete_application(application, ansvarlig.user)
    ruleset_update(call=application.call, rules=rules_from_json(data=SOFT), reason="Normalt krav", by_user=None,
                   confirm_open_calls=True)  # fmt: skip
    return Application.objects.get(pk=application.pk), ansvarlig.user


def test_a_soft_rule_warning_asks_for_a_justification_that_is_kept_and_submitted(page, site_url, with_warning):
    application, ansvarlig = with_warning
    log_in(page, site_url, ansvarlig.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("application-submit", args=[application.pk]))
    field = page.get_by_label("Egenfinansiering må være minst 60 %, oppgitt 50 %.")
    expect(field).to_be_visible()
    expect(page.get_by_text("Prosjektet er relevant for virksomheten.").first).to_be_visible()
    assert_accessible(page, context="submit page with a soft-rule warning")
    page.get_by_role("button", name="Send inn").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Skriv en begrunnelse.")).to_be_visible()
    assert_accessible(page, context="submit page, justification missing")
    field = page.get_by_label("Egenfinansiering må være minst 60 %, oppgitt 50 %.")
    field.fill("Fylkeskommunen dekker en større del.")
    page.get_by_role("button", name="Send inn").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    outcome = application.versions.get().content["eligibility"]["outcomes"][0]
    assert outcome["justification"] == "Fylkeskommunen dekker en større del."


def test_the_submit_page_with_a_warning_in_english_passes_axe(page, site_url, with_warning):
    application, ansvarlig = with_warning
    log_in(page, site_url, ansvarlig.email, DEFAULT_PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": site_url}])
    page.goto(site_url + reverse("application-submit", args=[application.pk]))
    expect(page.get_by_role("group", name="Justifications")).to_be_visible()
    assert_accessible(page, context="submit page with a warning, en")
