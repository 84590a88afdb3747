"""axe-core in Chromium: ``assert_accessible(page)`` fails listing every WCAG 2.1 A/AA violation."""

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
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {context or page.url}:"]
        for v in violations:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:10]:
                lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
        pytest.fail("\n".join(lines))
