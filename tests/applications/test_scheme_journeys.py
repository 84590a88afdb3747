"""Each active seed scheme end to end through the Django client, as its users meet it: the catalogue
lists it, the scheme page starts an application on its open call, the applicant fills in the
scheme's own form (sections, partners, budget, attachments) on the real pages and submits; an
officer does the formal check (ticking the requirements only a person can judge), a reviewer scores
on that call's own criteria, and two officers make the decision (issue 14)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffRole
from applications.models import Application
from applications.seed import DEMO_PDF, call_forms_seed, demo_budget, demo_section_posts
from applications.workflow import State
from organisations.models import Membership, OrganisationKind
from review.models import Decision, Review
from schemes.eligibility.presets import PRESETS
from schemes.models import Call
from schemes.seed import schemes_seed
from tests.factories import MembershipFactory, OrganisationFactory, StaffRoleFactory
from tests.html import has_link, links, select, visible_text
from tests.otp import force_login_verified
from tests.review.test_review_services import due

pytestmark = pytest.mark.django_db

# slug -> (the stage a new applicant picks, the applicant's kind)
SCHEMES = {
    "stimulab": ("prekvalifisering", OrganisationKind.KOMMUNE),
    "innovasjonspartnerskap": ("skisse", OrganisationKind.KOMMUNE),
    "forkommersielle-anskaffelser": ("hovedprosjekt", OrganisationKind.STATLIG),
    "offentlig-sektor-phd": (None, OrganisationKind.KOMMUNE),
    "innovasjonsprosjekt-offentlig-sektor": (None, OrganisationKind.FYLKESKOMMUNE),
    "offentlig-privat-samarbeid": (None, OrganisationKind.KOMMUNE),
    "kompetanseprosjekt-offentlig-sektor": (None, OrganisationKind.RESEARCH),
}
WHERE = {OrganisationKind.KOMMUNE: {"municipality_id": "4601"}, OrganisationKind.FYLKESKOMMUNE: {"county_id": "46"}}


def _organisation(kind, **extra):
    share = None if kind == OrganisationKind.RESEARCH else 100
    return OrganisationFactory(kind=kind, public_funding_share=share, **WHERE.get(kind, {}), **extra)


def _as(client, user, *, staff=False):
    client.logout()
    if staff:
        force_login_verified(client, user)
    else:
        client.force_login(user)
    return client


def _ok(response):
    assert response.status_code in (200, 302), (response.status_code, visible_text(response)[:2000])
    if response.status_code == 200:
        errors = select(response, ".ds-error-summary, .ds-validation-message")
        assert not errors, visible_text(response)[:2000]
    return response


@pytest.mark.parametrize("slug", list(SCHEMES))
def test_a_scheme_from_the_catalogue_to_a_decision(client, slug, private_storage):
    now = timezone.now()
    schemes = schemes_seed(now=now)
    call_forms_seed()
    scheme = schemes[slug]
    call = next(c for c in Call.objects.filter(scheme=scheme).order_by("closes_at") if c.status(now=now) == "apen")
    stage_kind, kind = SCHEMES[slug]
    organisation = _organisation(kind, name="Søkerkommunen")
    ansvarlig = MembershipFactory(organisation=organisation, role=Membership.Role.ANSVARLIG).user
    research = _organisation(OrganisationKind.RESEARCH, name="Forskningsinstituttet")
    public = _organisation(OrganisationKind.KOMMUNE, name="Nabokommunen")
    agency = scheme.agencies.first()
    officers = [StaffRoleFactory(agency=agency, schemes=[scheme]).user for _ in range(2)]
    reviewer = StaffRoleFactory(agency=agency, role=StaffRole.Role.REVIEWER).user

    # The catalogue lists the scheme; its page starts an application on the open call.
    _as(client, ansvarlig)
    catalogue = client.get(reverse("scheme-catalogue"))
    assert has_link(catalogue, scheme.name, href=reverse("scheme-detail", args=[slug]))
    detail = client.get(reverse("scheme-detail", args=[slug]))
    start_url = reverse("application-start", args=[call.slug])
    assert any(href == start_url for _text, href in links(detail)), visible_text(detail)[:1500]
    start = client.get(start_url)
    data = {"creation_key": select(start, "input[name=creation_key]")[0].get("value"), "organisation": organisation.pk}
    if stage_kind:
        data["stage"] = call.stages.get(kind=stage_kind).pk
    response = client.post(start_url, data)
    assert response.status_code == 302, visible_text(response)[:1500]
    application = Application.objects.get(organisation=organisation)
    definition = application.form["definition"]

    # The scheme's own form, section by section, on its pages.
    for section_key, values in demo_section_posts(definition).items():
        url = reverse("application-section", args=[application.pk, section_key])
        version = Application.objects.get(pk=application.pk).section_version(section_key)
        _ok(client.post(url, {**values, "base_version": str(version)}))
    for section in definition["sections"]:
        for question in section["questions"]:
            key, type_ = question["key"], question["type"]
            if type_ == "partners":
                url = reverse("application-partners", args=[application.pk, key])
                partners = [(research, "research-partner"), (public, "partner")]
                for partner, role in partners[: question["params"].get("max_partners") or 2]:
                    _ok(client.post(url, {"org_number": partner.org_number, "role": role}))
            elif type_ == "budget":
                budget = demo_budget(call)
                cells = {f"b-{category}-{year}": amount for category, years in budget["rows"].items()
                         for year, amount in years.items()}  # fmt: skip
                url = reverse("application-budget", args=[application.pk, key])
                version = Application.objects.get(pk=application.pk).section_version(f"q:{key}")
                _ok(client.post(url, {**cells, "first_year": 2027, "years": 2, "shown": "2027:2", "action": "save",
                                      "base_version": version, "own_funding": budget["own_funding"],
                                      "other_funding": "0"}))  # fmt: skip
                shown = visible_text(client.get(url), "#omsokt")
                assert shown.replace("\u00a0", " ").replace(" ", "") == f"{int(budget['requested'])}kr"
            elif type_ == "attachment" and question.get("required", True):
                url = reverse("application-attachments", args=[application.pk, key])
                _ok(client.post(url, {"file": SimpleUploadedFile(f"{key}.pdf", DEMO_PDF, "application/pdf")}))

    # Submit: everything is answered, so no rule is left unknown and nothing stops it.
    submit_url = reverse("application-submit", args=[application.pk])
    response = client.post(submit_url, follow=True)
    assert "Søknaden er sendt inn. Saksnummeret er" in visible_text(response), visible_text(response)[:3000]
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.reference
    Application.objects.filter(pk=application.pk).update(state=State.FORMAL_CHECK)  # as after the deadline

    # The formal check: the requirements only a person can judge are ticked, each of them.
    _as(client, officers[0], staff=True)
    case_url = reverse("staff-application", args=[application.pk])
    case = client.get(case_url)
    statements = [r["params"]["statement_nb"] for r in PRESETS[slug] if r["type"] == "officer-judgement"]
    for statement in statements:
        assert f"Vurdert: {statement}" in visible_text(case)
    judged = [box.get("value") for box in select(case, "input[name=judged]")]
    assert len(judged) == len(statements)
    formal_url = reverse("staff-application-formal-check", args=[application.pk])
    if judged:
        response = client.post(formal_url, {"result": "godkjenn"})
        assert response.status_code == 200 and "Kryss av for hvert krav" in visible_text(response)
    assert client.post(formal_url, {"result": "godkjenn", "judged": judged}).status_code == 302
    assert Application.objects.get(pk=application.pk).state == State.IN_REVIEW

    # A reviewer scores on this call's own criteria.
    typed_due = f"{due():%d.%m.%Y}"
    assign = client.post(reverse("staff-application-assign", args=[application.pk]),
                         {"reviewer": reviewer.pk, "due_date": typed_due})  # fmt: skip
    assert assign.status_code == 302, visible_text(assign)[:1500]
    assignment = application.assignments.get()
    _as(client, reviewer, staff=True)
    declare = reverse("reviewer-assignment-declare", args=[assignment.pk])
    assert client.post(declare, {"conflict": "nei"}).status_code == 302
    page = client.get(reverse("reviewer-assignment", args=[assignment.pk]))
    criteria = list(call.criteria.order_by("order"))
    for criterion in criteria:
        assert criterion.name in visible_text(page)
    scores = {f"score_{c.pk}": str(c.scale_max) for c in criteria}
    comments = {f"comment_{c.pk}": "Godt begrunnet" for c in criteria}
    response = client.post(reverse("reviewer-assignment-review", args=[assignment.pk]),
                           {**scores, **comments, "comment": "Bør få støtte", "recommendation": "stott",
                            "action": "lever"})  # fmt: skip
    assert response.status_code == 302, visible_text(response)[:1500]
    review = Review.objects.get(assignment=assignment)
    assert review.submitted_at is not None

    # The decision: prepared by one officer, confirmed by another.
    _as(client, officers[0], staff=True)
    assert client.post(reverse("staff-application-assessed", args=[application.pk])).status_code == 302
    granted = int(demo_budget(call)["requested"]) if _has_budget(definition) else 500_000
    granted_text = f"{granted:,}".replace(",", " ")
    decide = {"outcome": "innvilg", "granted_amount": granted_text, "comment": "Godt prosjekt"}
    response = client.post(reverse("staff-decision-prepare", args=[application.pk]), decide)
    assert response.status_code == 302, visible_text(response)[:1500]
    decision = Decision.objects.get(application=application)
    _as(client, officers[1], staff=True)
    assert client.post(reverse("staff-decision-confirm", args=[decision.pk])).status_code == 302
    assert Application.objects.get(pk=application.pk).state == State.OFFER_SENT
    assert "bekreftet av" in visible_text(client.get(case_url))

    # The applicant sees the offer.
    _as(client, ansvarlig)
    offer = client.get(reverse("application-offer", args=[application.pk]))
    assert offer.status_code == 200 and granted_text in visible_text(offer).replace("\u00a0", " ")


def _has_budget(definition) -> bool:
    return any(q["type"] == "budget" for s in definition["sections"] for q in s["questions"])
