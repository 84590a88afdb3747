"""The panel's ranking table at 1280 px (issue 13): nothing clipped; a table wider than the page
scrolls inside a labelled region that can be reached and scrolled with the keyboard."""

import pytest
from django.urls import reverse

from applications.workflow import State
from tests.accessibility import assert_accessible
from tests.casework.queue_world import build_world, clone, consensus, reviewed
from tests.casework.test_queue_pages import log_in_officer
from tests.factories import AssessmentCriterionFactory
from tests.review.test_review_services import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEASURE = """() => {
  const region = document.querySelector('[role=region][aria-label]');
  const overflowing = [];
  for (const el of document.querySelectorAll('main *')) {
    if (region && region.contains(el)) continue;
    const style = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible' && style.overflowX !== 'auto'
        && style.overflowX !== 'scroll') overflowing.push(el.tagName + '.' + el.className);
  }
  const box = region.getBoundingClientRect();
  return {
    page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
    region: [region.scrollWidth, region.clientWidth, Math.round(box.right)],
    overflowX: getComputedStyle(region).overflowX,
    label: region.getAttribute('aria-label'),
    tabindex: region.getAttribute('tabindex'),
    clipped: overflowing,
  };
}"""


def make_world(*, extra_criteria: int):
    world = build_world(submit_template=lambda call: submitted({"call": call}))
    for order in range(3, 3 + extra_criteria):
        AssessmentCriterionFactory(call=world["call_x"], order=order, weight=10,
                                   name=f"Gjennomføringsevne og forankring i organisasjonen {order}")  # fmt: skip
    rows = clone(world, 6, state=State.IN_REVIEW, title="Digital tilsynsassistent for hjemmetjenesten i kommunen")
    reviewed(world, rows[0], world["reviewers"][0], [6, 5])
    reviewed(world, rows[0], world["reviewers"][1], [4, 5], submitted=False, due_days=-2)
    consensus(world, rows[1], world["criteria"][0], 5)
    return world


def panel_at_1280(page, site_url, world):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_officer(page, site_url, world)
    page.goto(site_url + reverse("staff-call-panel", args=[world["call_x"].slug]))
    return page.evaluate(MEASURE)


def test_at_1280_px_a_panel_with_three_criteria_fits_whole(page, site_url, private_storage):
    found = panel_at_1280(page, site_url, make_world(extra_criteria=1))
    scroll_width, client_width = found["page"]
    assert scroll_width <= client_width, f"the page scrolls sideways: {found}"
    assert found["clipped"] == [], found
    assert found["region"][0] <= found["region"][1], f"the table is wider than its region: {found}"
    assert found["region"][2] <= client_width, found
    rights = page.evaluate(
        "() => [...document.querySelectorAll('table.portal-panel-table th')]"
        ".map(th => th.getBoundingClientRect().right)"
    )
    assert len(rights) == 4 + 3 + 5 and max(rights) <= client_width
    assert_accessible(page, context="panel at 1280 px")


def test_at_1280_px_a_wider_panel_scrolls_in_its_labelled_region_by_keyboard_never_the_page(
    page, site_url, private_storage
):
    found = panel_at_1280(page, site_url, make_world(extra_criteria=5))
    scroll_width, client_width = found["page"]
    assert scroll_width <= client_width, f"the page scrolls sideways: {found}"
    assert found["clipped"] == [], found
    assert found["region"][0] > found["region"][1]  # seven criteria: wider than the region
    assert found["overflowX"] == "auto" and found["label"] == "Rangering" and found["tabindex"] == "0"
    region = page.get_by_role("region", name="Rangering")
    region.focus()
    at_end = "el => el.scrollLeft + el.clientWidth >= el.scrollWidth - 1"
    for _ in range(100):  # the arrow key scrolls the focused region a step at a time, to its end
        if region.evaluate(at_end):
            break
        page.keyboard.press("ArrowRight")
    assert region.evaluate("el => el.scrollLeft") > 0 and region.evaluate(at_end)
    last = page.locator("table.portal-panel-table thead th").last
    assert last.inner_text() == "Vedtak"
    box, frame = last.bounding_box(), region.bounding_box()
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1  # scrolled into view
