"""The watch list and the staff scheduler page in Chromium: accessible in nb, nn and en, and
usable without JavaScript."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from scheduling.models import Notice, ScheduledEffect, Watch
from schemes.models import Theme
from tests.accessibility import assert_accessible
from tests.browser import choose_language, log_in
from tests.factories import DEFAULT_PASSWORD, CallFactory, SchemeFactory, StaffRoleFactory, UserFactory
from tests.otp import totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def failed_row(call):
    return ScheduledEffect.objects.create(
        kind="call-close", key=f"call-close:{call.pk}", due_at=call.closes_at, state="failed", target_type="call",
        target_id=call.pk, attempts=5, failed_at=timezone.now(), failure_reason="ConnectionRefusedError: smtp",
    )  # fmt: skip


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_watch_page_is_accessible(page, site_url, language):
    user = UserFactory()
    scheme = SchemeFactory(name="Klimaordningen")
    Theme.objects.create(slug="helse", name="Helse", name_nn="Helse", name_en="Health")
    Watch.objects.create(user=user, scheme=scheme)
    call = CallFactory(scheme=scheme)
    Notice.objects.create(user=user, kind="call-opened", key="k", call=call, created_at=timezone.now())
    log_in(page, site_url, user.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("my-page"))
    if language != "nb":
        choose_language(page, language)
    assert_accessible(page, context=f"my page with notices ({language})")
    page.goto(site_url + reverse("my-watches"))
    assert_accessible(page, context=f"watch list ({language})")
    page.goto(site_url + reverse("scheme-detail", args=[scheme.slug]))
    assert_accessible(page, context=f"scheme page with the follow form ({language})")


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_staff_scheduler_page_is_accessible(page, site_url, language):
    scheme = SchemeFactory()
    officer = StaffRoleFactory(agency=scheme.agencies.get(), schemes=[scheme]).user
    call = CallFactory(scheme=scheme, opens_at=timezone.now() + timedelta(days=1))
    ScheduledEffect.objects.create(kind="call-open", key=f"call-open:{call.pk}", due_at=call.opens_at,
                                   target_type="call", target_id=call.pk)  # fmt: skip
    failed_row(call)
    log_in(page, site_url, officer.email, DEFAULT_PASSWORD, device=totp_device(officer))
    page.goto(site_url + reverse("staff-home"))
    if language != "nb":
        choose_language(page, language)
    assert_accessible(page, context=f"staff home ({language})")
    page.goto(site_url + reverse("staff-scheduler"))
    assert_accessible(page, context=f"scheduler ({language})")


def test_follow_and_unfollow_without_javascript(page_nojs, site_url):
    user, scheme = UserFactory(), SchemeFactory(name="Klimaordningen")
    Theme.objects.all().delete()  # the registry's themes: this test follows the one it makes
    Theme.objects.create(slug="helse", name="Helse")
    log_in(page_nojs, site_url, user.email, DEFAULT_PASSWORD)
    page_nojs.goto(site_url + reverse("scheme-detail", args=[scheme.slug]))
    page_nojs.get_by_role("button", name="Følg ordningen").click()
    page_nojs.wait_for_load_state()
    assert page_nojs.url == site_url + reverse("scheme-detail", args=[scheme.slug])
    expect(page_nojs.get_by_text("Du følger ordningen og får beskjed")).to_be_visible()
    page_nojs.goto(site_url + reverse("my-watches"))
    page_nojs.get_by_role("button", name="Følg temaet").click()
    page_nojs.wait_for_load_state()
    assert sorted(str(w.scheme or w.theme) for w in Watch.objects.filter(user=user)) == ["Helse", "Klimaordningen"]
    page_nojs.get_by_role("button", name="Slutt å følge Klimaordningen").click()
    page_nojs.wait_for_load_state()
    assert [str(w.theme) for w in Watch.objects.filter(user=user)] == ["Helse"]


def test_retry_without_javascript(page_nojs, site_url):
    scheme = SchemeFactory()
    officer = StaffRoleFactory(agency=scheme.agencies.get(), schemes=[scheme]).user
    row = failed_row(CallFactory(scheme=scheme))
    log_in(page_nojs, site_url, officer.email, DEFAULT_PASSWORD, device=totp_device(officer))
    page_nojs.goto(site_url + reverse("staff-scheduler"))
    expect(page_nojs.get_by_text("ConnectionRefusedError: smtp")).to_be_visible()
    page_nojs.get_by_role("button", name=f"Prøv igjen {row.key}").click()
    page_nojs.wait_for_load_state()
    expect(page_nojs.get_by_text("blir prøvd igjen ved neste kjøring")).to_be_visible()
    row.refresh_from_db()
    assert row.state == "pending"
