"""axe-core in Chromium: ``assert_accessible(page)`` fails listing every WCAG 2.1 A/AA violation,
and every way the page fails to reflow (WCAG 1.4.10 and 1.4.4), which axe does not check: at 320
CSS pixels wide, and with the text at 200 %, the page itself must not scroll sideways (a wide
table scrolls inside its own labelled, focusable region)."""

from pathlib import Path

import pytest
from django.conf import settings

AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is not installed at {AXE_PATH}: run `npm ci` (make install).")
    return AXE_PATH.read_text()


def assert_accessible(page, *, context: str = "") -> None:
    if getattr(page, "javascript_enabled", True) is False:
        # Evaluating script in a page without JavaScript never returns: check the same state
        # with the `page` fixture instead.
        pytest.fail("assert_accessible needs a page with JavaScript (the `page` fixture, not `page_nojs`).")
    # Evaluated through the DevTools protocol, which the page's CSP does not govern, so the page
    # is tested with its real policy in force.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => await window.axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    violations = result["violations"]
    overflow = reflow_problems(page)
    if overflow:
        pytest.fail(f"The page does not reflow on {context or page.url}:\n" + "\n".join(overflow))
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {context or page.url}:"]
        for v in violations:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:10]:
                lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
        pytest.fail("\n".join(lines))


REFLOW_WIDTH = 320  # CSS pixels: 1280 at 400 % zoom (WCAG 1.4.10)
TEXT_WIDTH = 640  # CSS pixels: 1280 at 200 % zoom, with the text at 200 % as well (WCAG 1.4.4)
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return [];
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const wide = [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !inScroller(el))
    .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 1
                    || el.parentElement === document.body);
  // Text that sticks out of its box (a long word in a heading) widens the page as well.
  const spilling = [...document.body.querySelectorAll('*')].filter((el) => !inScroller(el)
    && getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
    && [...el.children].every((child) => child.getBoundingClientRect().right <= el.getBoundingClientRect().right + 1));
  for (const el of spilling) if (!wide.includes(el)) wide.push(el);
  return [`the page is ${document.documentElement.scrollWidth} px wide at ${width} px`,
          ...wide.slice(0, 8).map((el) => `  ${name(el)} reaches `
    + `${Math.round(el.getBoundingClientRect().left + el.scrollWidth)} px`
    + ` («${(el.innerText || '').trim().slice(0, 40)}»)`)];
}"""


def reflow_problems(page) -> list[str]:
    """What sticks out sideways at 320 px, and at 640 px with 200 % text; the viewport and the
    text size are put back afterwards. The first line gives the page's width; the lines after it
    name what sticks out (an absolutely positioned element, such as a .ds-sr-only text, escapes a
    scroller that is not positioned: .portal-table-wrapper is)."""
    size = page.viewport_size
    problems = []
    try:
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
        problems += page.evaluate(_OVERFLOW)
        page.set_viewport_size({"width": TEXT_WIDTH, "height": 640})
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        found = page.evaluate(_OVERFLOW)
        problems += [f"{line} (text at 200 %)" if i == 0 else line for i, line in enumerate(found)]
    finally:
        page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
        if size:
            page.set_viewport_size(size)
    return problems
