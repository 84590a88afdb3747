"""The planner in Chromium: filtered by call, kind and state without JavaScript, every row naming
its application and call, and accessible (axe, WCAG 2.1 A/AA, 320 px) in nb, nn and en."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from scheduling.models import EffectState, ScheduledEffect
from tests.accessibility import assert_accessible
from tests.browser import choose_language, log_in
from tests.factories import (
    DEFAULT_PASSWORD,
    CallFactory,
    SchemeFactory,
    StaffRoleFactory,
    call_with_form,
    make_application,
)
from tests.otp import totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def planner_rows():
    scheme = SchemeFactory()
    officer = StaffRoleFactory(agency=scheme.agencies.get(), schemes=[scheme]).user
    call, other = call_with_form(scheme=scheme, title="Klima 2027"), CallFactory(scheme=scheme, title="Helse 2027")
    application = make_application(call=call)
    for n, (state, reason) in enumerate(((EffectState.PENDING, ""), (EffectState.CANCELLED, "withdrawn"))):
        ScheduledEffect.objects.create(kind="draft-reminder", key=f"draft-reminder:{n}", target_type="application",
                                       target_id=application.pk, due_at=timezone.now(), state=state,
                                       cancel_reason=reason, payload={"offset": "1d", "user": officer.pk})  # fmt: skip
    ScheduledEffect.objects.create(kind="call-close", key=f"call-close:{other.pk}", due_at=other.closes_at,
                                   target_type="call", target_id=other.pk)  # fmt: skip
    return officer, call, application


def test_the_planner_filters_without_javascript(page_nojs, site_url):
    officer, _call, application = planner_rows()
    log_in(page_nojs, site_url, officer.email, DEFAULT_PASSWORD, device=totp_device(officer))
    page_nojs.goto(site_url + reverse("staff-scheduler"))
    waiting = page_nojs.get_by_role("region", name="Kommende frister og hendelser")
    expect(waiting.get_by_text("Helse 2027", exact=False)).to_be_visible()
    page_nojs.get_by_label("Utlysning").select_option(label="Klima 2027")
    page_nojs.get_by_label("Tilstand").select_option(label="Avlyst")
    page_nojs.get_by_role("button", name="Vis treff").click()
    page_nojs.wait_for_load_state()
    table = page_nojs.get_by_role("region", name="Hendelser: Avlyst")
    expect(table.get_by_role("link", name=application.reference or "Uten saksnummer")).to_be_visible()
    expect(table.get_by_text("Søknaden er trukket")).to_be_visible()
    expect(table.get_by_text("Klima 2027")).to_be_visible()
    assert table.get_by_text("Helse 2027").count() == 0


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_filtered_planner_is_accessible(page, site_url, language):
    officer, call, _application = planner_rows()
    log_in(page, site_url, officer.email, DEFAULT_PASSWORD, device=totp_device(officer))
    page.goto(site_url + reverse("staff-home"))
    if language != "nb":
        choose_language(page, language)
    page.goto(site_url + reverse("staff-scheduler") + f"?utlysning={call.slug}&tilstand=cancelled")
    assert_accessible(page, context=f"planner, cancelled rows of one call ({language})")
    page.goto(site_url + reverse("staff-scheduler") + "?utlysning=finnes-ikke")
    assert_accessible(page, context=f"planner with an invalid filter ({language})")
