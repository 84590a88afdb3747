"""The work queue and the panel in Chromium: accessible (nb, nn, en), and without JavaScript the
filters, the paging and a bulk action work as ordinary links and forms."""

import pytest
from django.urls import reverse

from applications.workflow import State
from tests.accessibility import assert_accessible
from tests.browser import choose_language, log_in
from tests.casework.queue_world import build_world, clone, consensus, reviewed
from tests.factories import DEFAULT_PASSWORD
from tests.otp import totp_device
from tests.review.test_review_services import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(private_storage):
    world = build_world(submit_template=lambda call: submitted({"call": call}))
    rows = clone(world, 6, state=State.IN_REVIEW)
    reviewed(world, rows[0], world["reviewers"][0], [6, 5])
    reviewed(world, rows[0], world["reviewers"][1], [4, 5], submitted=False, due_days=-2)
    reviewed(world, rows[1], world["reviewers"][0], [3, 4])
    consensus(world, rows[1], world["criteria"][0], 5)
    world["rows"] = rows
    return world


def log_in_officer(page, site_url, world):
    officer = world["officer_x"]
    log_in(page, site_url, officer.email, DEFAULT_PASSWORD, device=totp_device(officer))


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_queue_with_filters_is_accessible(page, site_url, world, language):
    log_in_officer(page, site_url, world)
    page.goto(site_url + reverse("home"))
    if language != "nb":
        choose_language(page, language)
    page.goto(site_url + reverse("staff-home") + f"?status={State.IN_REVIEW.value}&karakter_fra=1")
    assert page.locator("input[name=soknad]").count() == 2
    assert_accessible(page, context=f"work queue with filters ({language})")
    if language == "nb":
        page.goto(site_url + reverse("staff-call-panel", args=[world["call_x"].slug]))
        assert page.get_by_role("heading", level=1).inner_text().startswith("Panel:")
        assert_accessible(page, context="panel (nb)")


def test_without_javascript_the_filters_paging_and_a_bulk_action_work(page_nojs, site_url, world):
    page = page_nojs
    clone(world, 55, state=State.FORMAL_CHECK)
    log_in_officer(page, site_url, world)
    page.goto(site_url + reverse("staff-home"))
    page.locator("#id_status").select_option(State.FORMAL_CHECK.value)
    page.get_by_role("button", name="Vis treff").click()
    page.wait_for_load_state()
    assert "status=formell-kontroll" in page.url
    assert page.locator("input[name=soknad]").count() == 50
    page.get_by_role("link", name="Neste side").click()
    page.wait_for_load_state()
    assert page.locator("input[name=soknad]").count() == 6  # 55 and the template application
    page.get_by_role("link", name="Forrige side").click()
    page.wait_for_load_state()
    assert page.locator("input[name=soknad]").count() == 50
    boxes = page.locator("input[name=soknad]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("#id_handling").select_option("formal-approve")
    page.get_by_role("button", name="Utfør").click()
    page.wait_for_load_state()
    assert "2 flyttet." in page.locator(".portal-messages").inner_text()
    assert "status=formell-kontroll" in page.url
    # Back on the same page (anchored on the row after it): the two moved rows have left it.
    assert page.locator("input[name=soknad]").count() == 48
