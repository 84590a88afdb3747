"""The rule editor in Chromium: accessible (axe), and usable without JavaScript."""

import pytest
from playwright.sync_api import expect

from schemes.eligibility import rules_from_json
from schemes.eligibility.presets import PRESETS
from schemes.models import RuleSetVersion
from schemes.services import ruleset_update
from tests.accessibility import assert_accessible
from tests.browser import log_in
from tests.factories import DEFAULT_PASSWORD, CallFactory, SchemeFactory, SuperuserFactory
from tests.otp import totp_device

from .admin_helpers import editor_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Four of the ph.d. scheme's rules (its preset has more), so the numbering below stays put.
PHD_RULES = [
    rule for rule in PRESETS["offentlig-sektor-phd"]
    if rule["type"] in ("applicant-public-funding-share", "candidate-permanently-employed",
                        "candidate-without-doctorate", "max-applications")
]  # fmt: skip


def _scheme(admin):
    scheme = SchemeFactory(name="Offentlig sektor-ph.d.")
    rules = rules_from_json(data=PHD_RULES)
    ruleset_update(scheme=scheme, rules=rules, reason="Startdata", by_user=admin)
    return scheme


def test_the_editor_and_the_history_are_accessible_also_with_errors_and_an_open_call(page, site_url):
    admin = SuperuserFactory()
    scheme = _scheme(admin)
    CallFactory(scheme=scheme, title="Runde 2026")
    log_in(page, site_url, admin.email, DEFAULT_PASSWORD, device=totp_device(admin))

    page.goto(site_url + editor_url(scheme))
    expect(page.get_by_role("heading", name="Advarsel: utlysningen er åpen")).to_be_visible()
    assert_accessible(page, context="rule editor")

    page.get_by_label("Søkerens offentlig finansierte andel må være minst (%)").fill("180")
    page.get_by_role("button", name="Lagre reglene").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Rett feilene nedenfor")).to_be_visible()
    assert_accessible(page, context="rule editor with errors")

    page.goto(site_url + editor_url(scheme, history=True))
    assert_accessible(page, context="rule history")


def test_rules_are_added_filled_in_and_saved_without_javascript(page_nojs, site_url):
    page = page_nojs
    admin = SuperuserFactory()
    scheme = _scheme(admin)
    log_in(page, site_url, admin.email, DEFAULT_PASSWORD, device=totp_device(admin))
    page.goto(site_url + editor_url(scheme))

    page.get_by_label("Søkerens offentlig finansierte andel må være minst (%)").fill("85")
    page.get_by_label("Ny regel av typen").select_option(label="Søker er en bestemt type virksomhet")
    page.get_by_role("button", name="Legg til regelen").click()
    page.wait_for_load_state()
    assert page.get_by_label("Søkerens offentlig finansierte andel må være minst (%)").input_value() == "85"
    new_rule = page.locator("fieldset", has=page.get_by_role("heading", name="Regel 5: Søker er en bestemt"))
    new_rule.get_by_label("Kommune", exact=True).check()
    new_rule.get_by_label("Statlig virksomhet").check()
    page.locator("fieldset", has=page.get_by_role("heading", name="Regel 2:")).get_by_label(
        "Fjern regelen når jeg lagrer"
    ).check()
    page.get_by_label("Hvorfor endres reglene?").fill("Bare kommuner og staten")

    # Enter in a text field saves (it does not add another rule).
    page.get_by_label("Søkerens offentlig finansierte andel må være minst (%)").press("Enter")
    page.wait_for_url(site_url + editor_url(scheme, history=True))
    version = RuleSetVersion.objects.get(scheme=scheme, version=2)
    assert [rule["type"] for rule in version.rules] == [
        "applicant-public-funding-share", "candidate-without-doctorate", "max-applications", "applicant-kind",
    ]  # fmt: skip
    assert version.rules[0]["params"] == {"minimum": "85"}
    assert version.rules[3]["params"] == {"kinds": ["kommune", "statlig"]}
    expect(page.get_by_text("Lagt til: Søker er en bestemt type virksomhet")).to_be_visible()
