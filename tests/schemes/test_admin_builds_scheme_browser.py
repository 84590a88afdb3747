"""An administrator builds a ninth scheme in the admin, without code, and it works end to end.

In one Chromium session: the administrator (a superuser) creates the agency, the scheme with its
texts in three languages, its eligibility rules in the rule editor (applicant kind, public partners,
a declaration), a call open now (dates from the run's controlled now) with two criteria whose
weights sum to 100 and named scale steps, the call's form in the form editor (the declaration bound
to a yes-no question through «Brukes av reglene som»), and gives an officer and a reviewer their
roles. Then a municipality finds the scheme in the catalogue, checks it, applies, is refused while
it has not confirmed the declaration and has no public partner, fixes both and submits; the officer
does the formal check and assigns the reviewer, who scores on the new criteria, and the officer
sees the scores.

Applicant, reviewer and officer pages must pass axe; admin pages are checked too, but their
violations are only printed, since another piece of work handles the admin's accessibility.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import StaffRole
from applications.models import Application, CallForm
from applications.workflow import State
from organisations.models import Membership, Municipality, Organisation, OrganisationKind
from review.models import AssignmentState, ReviewAssignment
from schemes.models import AssessmentCriterion, Call, RuleSetVersion, Scheme
from tests.accessibility import WCAG_TAGS, _axe_source, assert_accessible
from tests.browser import log_in, log_out
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory, SuperuserFactory, UserFactory
from tests.otp import totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_AXE_NOTES: list[str] = []


def note_admin_axe(page, context: str) -> None:
    """axe on an admin page: violations are recorded and printed, not failed (see the module doc)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => await window.axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    for violation in result["violations"]:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        ADMIN_AXE_NOTES.append(f"{context}: [{violation['impact']}] {violation['id']} ({targets})")


def log_in_as(page, site_url, user, *, staff=True):
    log_out(page)
    log_in(page, site_url, user.email, DEFAULT_PASSWORD, device=totp_device(user) if staff else None)


def main_text(page) -> str:
    return page.locator("main, #content").first.inner_text().replace("\xa0", " ")


def expect_message(page, text):
    messages = page.locator(".portal-messages, ul.messagelist")
    assert messages.count(), f"no message; the page says: {main_text(page)[:2000]}"
    assert text in messages.first.inner_text(), messages.first.inner_text()


def admin_save(page, context):
    """The admin's «Lagre» and the page it leads to; fails with the page's errors if it did not save."""
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    errors = page.locator(".errornote, .errorlist")
    assert not errors.count(), f"{context}: " + " | ".join(errors.all_inner_texts())


def choose_autocomplete(page, select_id, text):
    """Django admin's autocomplete (select2): open it, search, and pick the matching option."""
    page.locator(f"{select_id} + .select2").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).click()


def oslo(moment):
    return timezone.localtime(moment)


def test_an_administrator_builds_a_scheme_in_the_admin_and_a_municipality_applies(page, site_url, private_storage):
    now = timezone.now()  # the test run's controlled now (tests.clock)
    ADMIN_AXE_NOTES.clear()
    admin = SuperuserFactory(full_name="Ada Administrator")
    officer = UserFactory(full_name="Olav Saksbehandler", is_staff=True)
    reviewer = UserFactory(full_name="Rita Fagekspert", is_staff=True)
    place = Municipality.objects.select_related("county").first()  # the registry's, from a migration
    kommune = OrganisationFactory(name="Fjordvik kommune", kind=OrganisationKind.KOMMUNE, municipality=place)
    ansvarlig = MembershipFactory(organisation=kommune, role=Membership.Role.ANSVARLIG, user__full_name="Kari Kommune")
    partner = OrganisationFactory(
        name="Fjordvik fylkeskommune", kind=OrganisationKind.FYLKESKOMMUNE, county=place.county
    )

    # --- The administrator -----------------------------------------------------------------------
    log_in_as(page, site_url, admin)

    # The agency: an organisation that runs schemes.
    page.goto(site_url + reverse("admin:organisations_organisation_add"))
    note_admin_axe(page, "organisation add")
    page.get_by_label("Navn").fill("Direktoratet for nærmiljø")
    agency_number = OrganisationFactory.build().org_number
    page.get_by_label("Organisasjonsnummer").fill(agency_number)
    page.get_by_label("Type").select_option("statlig")
    page.get_by_label("Forvalter ordninger").check()
    admin_save(page, "the agency")
    agency = Organisation.objects.get(org_number=agency_number)
    assert agency.is_funding_agency

    # The scheme, with its texts in three languages.
    page.goto(site_url + reverse("admin:schemes_scheme_add"))
    note_admin_axe(page, "scheme add")
    page.get_by_label("Navn (bokmål)").fill("Nærmiljølaben")
    page.get_by_label("Navn (nynorsk)").fill("Nærmiljølaben (nn)")
    page.get_by_label("Navn (engelsk)").fill("The Neighbourhood Lab")
    page.locator("#id_agencies_from").select_option(label="Direktoratet for nærmiljø")
    page.locator("#id_agencies_add").click()
    page.get_by_label("Kort beskrivelse (bokmål)").fill("Kommuner prøver ut nye tjenester i nærmiljøet sammen.")
    page.get_by_label("Kort beskrivelse (nynorsk)").fill("Kommunar prøver ut nye tenester i nærmiljøet saman.")
    page.get_by_label("Kort beskrivelse (engelsk)").fill("Municipalities try out new local services together.")
    page.locator("#id_description").fill("Støtte til kommuner som vil fornye nærmiljøet.")
    admin_save(page, "the scheme")
    scheme = Scheme.objects.get(name="Nærmiljølaben")
    assert list(scheme.agencies.all()) == [agency] and scheme.name_en == "The Neighbourhood Lab"

    # Its rules, in the rule editor: only municipalities, at least one public partner.
    # The admin says what comes next, with the links.
    next_steps = page.locator("ul.messagelist")
    new_call_url = next_steps.get_by_role("link", name="en utlysning").get_attribute("href")
    next_steps.get_by_role("link", name="reglene for hvem som kan søke").click()
    page.wait_for_load_state()
    note_admin_axe(page, "rule editor (empty)")
    page.get_by_label("Ny regel av typen").select_option(label="Søker er en bestemt type virksomhet")
    page.get_by_role("button", name="Legg til regelen").click()
    page.wait_for_load_state()
    rule = page.locator("fieldset", has=page.get_by_role("heading", name="Regel 1:"))
    rule.get_by_label("Kommune", exact=True).check()
    page.get_by_label("Ny regel av typen").select_option("min-public-partners")
    page.get_by_role("button", name="Legg til regelen").click()
    page.wait_for_load_state()
    page.get_by_label("Minste antall offentlige partnere").fill("1")
    page.get_by_label("Ny regel av typen").select_option("declaration")
    page.get_by_role("button", name="Legg til regelen").click()
    page.wait_for_load_state()
    page.locator("#id_rule-2-p-key").fill("forankret-i-ledelsen")
    page.locator("#id_rule-2-p-statement_nb").fill("Prosjektet er forankret i kommunens ledelse.")
    page.locator("#id_rule-2-p-statement_nn").fill("Prosjektet er forankra i leiinga i kommunen.")
    page.locator("#id_rule-2-p-statement_en").fill("The project is anchored in the municipality's management.")
    page.get_by_label("Hvorfor endres reglene?").fill("Første versjon")
    page.get_by_role("button", name="Lagre reglene").last.click()
    page.wait_for_load_state()
    version = RuleSetVersion.objects.get(scheme=scheme)
    assert [rule["type"] for rule in version.rules] == ["applicant-kind", "min-public-partners", "declaration"]

    # The call, open now, with two criteria whose weights sum to 100 and named scale steps.
    opens, closes = oslo(now - timedelta(days=1)), oslo(now + timedelta(days=30))
    page.goto(site_url + new_call_url)
    note_admin_axe(page, "call add")
    assert page.get_by_label("Ordning").locator("option:checked").inner_text() == "Nærmiljølaben"
    page.get_by_label("Tittel (bokmål)").fill("Nærmiljølaben 2027")
    page.get_by_label("Tittel (nynorsk)").fill("Nærmiljølaben 2027 (nn)")
    page.get_by_label("Tittel (engelsk)").fill("The Neighbourhood Lab 2027")
    page.locator("#id_opens_at_0").fill(f"{opens:%d.%m.%Y}")
    page.locator("#id_opens_at_1").fill(f"{opens:%H:%M}")
    page.locator("#id_closes_at_0").fill(f"{closes:%d.%m.%Y}")
    criteria = [("Behov", "Trong", "Need", "60"), ("Gjennomføring", "Gjennomføring", "Implementation", "40")]
    for index, (nb, nn, en, weight) in enumerate(criteria):
        page.locator(".add-row a", has_text="Legg til vurderingskriterium").click()
        prefix = f"#id_criteria-{index}-"
        page.locator(prefix + "order").fill(str(index + 1))
        page.locator(prefix + "weight").fill(weight)
        page.locator(prefix + "scale_labels").fill("1: Dårlig\n4: God\n7: Fremragende")
        page.locator(prefix + "name").fill(nb)
        page.locator(prefix + "name_nn").fill(nn)
        page.locator(prefix + "name_en").fill(en)
    admin_save(page, "the call")
    call = Call.objects.get(title="Nærmiljølaben 2027")
    assert call.status() == "apen"
    assert [(c.name, c.weight, c.scale_labels) for c in AssessmentCriterion.objects.filter(call=call)] == [
        ("Behov", 60, {"1": "Dårlig", "4": "God", "7": "Fremragende"}),
        ("Gjennomføring", 40, {"1": "Dårlig", "4": "God", "7": "Fremragende"}),
    ]

    # The call's form, in the form editor: three sections, one of them the partners.
    page.locator("ul.messagelist").get_by_role("link", name="søknadsskjemaet").click()
    page.wait_for_load_state()
    note_admin_axe(page, "form editor (empty)")
    sections = [
        ("om-prosjektet", ("Om prosjektet", "Om prosjektet", "About the project"), [
            ("short-text", "tittel", ("Prosjekttittel", "Prosjekttittel", "Project title")),
            ("long-text", "behov", ("Hvilket behov i nærmiljøet skal prosjektet løse?",
                                    "Kva behov i nærmiljøet skal prosjektet løyse?",
                                    "Which local need will the project meet?")),
        ]),
        ("partnere", ("Partnere", "Partnarar", "Partners"), [
            ("partners", "partnere", ("Partnere i prosjektet", "Partnarar i prosjektet", "Project partners")),
        ]),
        ("forankring", ("Forankring", "Forankring", "Anchoring"), [
            ("yes-no", "forankret", ("Er prosjektet forankret i kommunens ledelse?",
                                     "Er prosjektet forankra i leiinga i kommunen?",
                                     "Is the project anchored in the municipality's management?")),
        ]),
    ]  # fmt: skip
    for s_index, (key, titles, questions) in enumerate(sections):
        page.get_by_role("button", name="Legg til en del").click()
        page.wait_for_load_state()
        section = f"#id_s{s_index}-"
        page.locator(section + "key").fill(key)
        for language, title in zip(("nb", "nn", "en"), titles, strict=True):
            page.locator(section + f"title_{language}").fill(title)
        for q_index, (question_type, q_key, labels) in enumerate(questions):
            page.locator(section + "add_type").select_option(question_type)
            page.get_by_role("button", name=f"Legg til spørsmålet i del {s_index + 1}").click()
            page.wait_for_load_state()
            question = f"#id_s{s_index}-q{q_index}-"
            page.locator(question + "key").fill(q_key)
            for language, label in zip(("nb", "nn", "en"), labels, strict=True):
                page.locator(question + f"label_{language}").fill(label)
    # The yes-no question is the applicant's answer to the scheme's declaration.
    page.locator("#id_s2-q0-fact").select_option("declaration:forankret-i-ledelsen")
    note_admin_axe(page, "form editor (filled)")
    page.get_by_role("button", name="Lagre skjemaet").last.click()
    page.wait_for_load_state()
    expect_message(page, "Skjemaet er lagret.")
    definition = CallForm.objects.get(call=call, stage=None).definition
    assert [section["key"] for section in definition["sections"]] == ["om-prosjektet", "partnere", "forankring"]
    assert definition["sections"][2]["questions"][0]["fact"] == "declaration:forankret-i-ledelsen"

    # The officer and the reviewer get their roles at the agency.
    for user, role in ((officer, "saksbehandler"), (reviewer, "fagekspert")):
        page.goto(site_url + reverse("admin:accounts_user_change", args=[user.pk]))
        page.locator(".add-row a", has_text="Legg til rolle i forvaltningen").click()
        page.locator("#id_staff_roles-0-role").select_option(role)
        choose_autocomplete(page, "#id_staff_roles-0-agency", "Direktoratet for nærmiljø")
        if role == "saksbehandler":
            page.locator("#id_staff_roles-0-schemes_from").select_option(label="Nærmiljølaben")
            page.locator("#id_staff_roles-0-schemes_add").click()
        admin_save(page, f"the {role}'s role")
    assert StaffRole.objects.get(user=officer).schemes.get() == scheme
    assert StaffRole.objects.get(user=reviewer).role == StaffRole.Role.REVIEWER

    # --- The municipality ------------------------------------------------------------------------
    log_in_as(page, site_url, ansvarlig.user, staff=False)
    page.goto(site_url + reverse("scheme-catalogue"))
    page.locator("#resultater").get_by_role("link", name="Nærmiljølaben").click()
    page.wait_for_load_state()
    assert_accessible(page, context="the new scheme's page")
    assert "Behov" in main_text(page) and "60" in main_text(page)  # the criteria are public

    # Kan vi søke? For this call, with the municipality's own registry facts.
    page.goto(site_url + reverse("eligibility-check") + f"?utlysning={call.slug}")
    assert "Svarene om virksomheten er fylt ut med det vi vet om Fjordvik kommune." in main_text(page)
    page.locator("#id_offentlige_partnere").fill("1")
    page.get_by_label("Prosjektet er forankret i kommunens ledelse.").check()
    page.get_by_role("button", name="Sjekk utlysningen").click()
    page.wait_for_load_state()
    assert_accessible(page, context="the check of the new call")
    assert page.locator("[data-verdict]").count() == 1, main_text(page)[:3000]
    assert page.locator("[data-verdict=eligible]").count() == 1, main_text(page)[:3000]

    # Apply.
    page.goto(site_url + reverse("scheme-detail", args=[scheme.slug]))
    page.get_by_role("link", name="Start søknad").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Start søknad").click()
    page.wait_for_load_state()
    application = Application.objects.get(call=call)
    section_url = lambda key: site_url + reverse("application-section", args=[application.pk, key])  # noqa: E731
    page.goto(section_url("om-prosjektet"))
    page.get_by_label("Prosjekttittel").fill("Møteplass på kaia")
    page.get_by_label("Hvilket behov i nærmiljøet skal prosjektet løse?").fill("Unge mangler et sted å være.")
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_load_state("networkidle")
    page.goto(section_url("forankring"))
    page.get_by_role("group", name="Er prosjektet forankret i kommunens ledelse?").get_by_label("Nei").check()
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, context="a section of the new form")

    # No public partner yet: the rule fails and the submit is refused, saying why.
    page.goto(site_url + reverse("application-submit", args=[application.pk]))
    text = main_text(page)
    assert "Prosjektet har 0 offentlige partnere, men ordningen krever minst 1." in text, text[:3000]
    assert "Søkeren har ikke bekreftet: «Prosjektet er forankret i kommunens ledelse.»" in text
    assert_accessible(page, context="submit page, refused by a rule")
    if page.get_by_role("button", name="Send inn").count():
        page.get_by_role("button", name="Send inn").click()
        page.wait_for_load_state()
    assert Application.objects.get(pk=application.pk).state == State.DRAFT

    # The fix: the declaration confirmed, and a public partner found in the registry.
    page.goto(section_url("forankring"))
    page.get_by_role("group", name="Er prosjektet forankret i kommunens ledelse?").get_by_label("Ja").check()
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_load_state("networkidle")
    page.goto(site_url + reverse("application-partners", args=[application.pk, "partnere"]))
    page.get_by_label("Organisasjonsnummer").fill(partner.org_number)
    page.locator("#oppslag").get_by_text("Registrert: Fjordvik fylkeskommune").wait_for()
    page.get_by_label("Rolle i prosjektet").select_option("partner")
    page.get_by_role("button", name="Legg til partner").click()
    page.wait_for_load_state()
    page.goto(site_url + reverse("application-submit", args=[application.pk]))
    page.get_by_role("button", name="Send inn").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED, main_text(page)[:3000]
    expect(page.get_by_text(f"Saksnummeret er {application.reference}")).to_be_visible()

    # --- The officer: formal check, and the reviewer assigned ------------------------------------
    Application.objects.filter(pk=application.pk).update(state=State.FORMAL_CHECK)  # what the call's close does
    log_in_as(page, site_url, officer)
    case_url = site_url + reverse("staff-application", args=[application.pk])
    page.goto(case_url)
    assert_accessible(page, context="case page, formal check")
    page.get_by_label("Godkjenn: søknaden går til fagvurdering").check()
    page.get_by_role("button", name="Registrer formell kontroll").click()
    page.wait_for_load_state()
    expect_message(page, "Søknaden er formelt godkjent")
    page.locator(f'input[type="radio"][name="reviewer"][value="{reviewer.pk}"]').check()
    page.get_by_role("button", name="Tildel", exact=True).click()
    page.wait_for_load_state()
    expect_message(page, "Rita Fagekspert er tildelt søknaden.")

    # --- The reviewer scores on the new criteria -------------------------------------------------
    log_in_as(page, site_url, reviewer)
    assignment = ReviewAssignment.objects.get(application=application)
    page.goto(site_url + reverse("reviewer-assignment", args=[assignment.pk]))
    page.get_by_label("Nei, jeg er ikke inhabil og kan vurdere søknaden").check()
    page.get_by_role("button", name="Send erklæringen").click()
    page.wait_for_load_state()
    assert_accessible(page, context="review form on the new criteria")
    page.get_by_role("group", name="Karakter for Behov").get_by_label("7 – Fremragende").check()
    page.get_by_label("Kommentar til Behov").fill("Tydelig behov.")
    page.get_by_role("group", name="Karakter for Gjennomføring").get_by_label("4 – God").check()
    page.get_by_label("Bør få støtte", exact=True).check()
    page.get_by_label("Samlet vurdering").fill("Anbefales.")
    page.get_by_role("button", name="Lever vurdering").click()
    page.wait_for_load_state()
    expect_message(page, "Vurderingen er levert.")
    assert ReviewAssignment.objects.get(pk=assignment.pk).state == AssignmentState.SUBMITTED

    # --- The officer sees the scores -------------------------------------------------------------
    log_in_as(page, site_url, officer)
    page.goto(case_url)
    scores = page.locator("table", has=page.get_by_role("columnheader", name="Anbefaling"))
    assert scores.get_by_role("columnheader").all_inner_texts()[1:3] == ["Behov", "Gjennomføring"]
    row = scores.get_by_role("row").filter(has_text="Rita Fagekspert")
    assert [cell.strip() for cell in row.get_by_role("cell").all_inner_texts()][-3:] == ["7", "4", "Bør få støtte"]
    assert "Tydelig behov." in page.content()  # the reviewer's comment, behind «Kommentarene til …»
    assert_accessible(page, context="case page with the scores")

    print("\n".join(["Admin axe notes:", *ADMIN_AXE_NOTES]))
