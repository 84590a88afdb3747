"""Every URL the project defines × every role, with the expected outcome.

Adding a URL without adding it here fails `test_every_url_is_in_the_matrix`. The admin is covered
by Django's own staff check (tests/test_admin.py) and is listed as one entry.

Roles: anonymous; member and ansvarlig of organisation A; member of B; member of P, a partner in
A's applications (partner_p); saksbehandler of scheme X
(officer_x) and of scheme Y (officer_y) at the same agency; a fagekspert; a superuser (admin).
Staff log in with a session verified by two-factor, as they must; the same staff without the
code step are sent to it (or to set it up) from every staff URL and the admin.
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import StaffRole
from applications.services import application_file_add, application_partner_add, application_submit
from attachments.services import file_store
from organisations.models import Membership
from organisations.services import invitation_create
from scheduling.models import ScheduledEffect, Watch
from tests.applications.helpers import complete_application
from tests.attachments.files import pdf_bytes
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    OrganisationFactory,
    SchemeFactory,
    StaffRoleFactory,
    SuperuserFactory,
    UserFactory,
    call_with_form,
    make_application,
)
from tests.otp import force_login_verified, totp_device
from tests.projects.helpers import make_project

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member_a", "ansvarlig_a", "member_b", "partner_p", "officer_x", "officer_y", "reviewer", "admin"]
APPLICANTS = ["member_a", "ansvarlig_a", "member_b", "partner_p"]
STAFF = ["officer_x", "officer_y", "reviewer"]
NEEDS_TWO_FACTOR = [*STAFF, "admin"]
OK, LOGIN, NOT_FOUND, FORBIDDEN, NOT_ALLOWED, REDIRECT = 200, "login", 404, 403, 405, 302


def roles(default, **overrides):
    return {role: overrides.get(role, default) for role in ROLES}


# url name -> (method, args, {role: expected}[, data]); an arg that is a key of the world's args stands for
# that value (an organisation number, a slug, an id, a token), any other arg is used as it is.
INVITE = {"email": "ny.kollega@example.no", "role": "member"}
ACCEPT = {"action": "accept"}


def h6_staff(**allowed):  # review/views (H6): a staff page; 404 for staff not allowed, 403 for applicants
    return roles(NOT_FOUND, anonymous=LOGIN, **dict.fromkeys(APPLICANTS, FORBIDDEN), **allowed)


MATRIX = {
    "home": ("get", [], dict.fromkeys(ROLES, OK)),
    "accessibility-statement": ("get", [], dict.fromkeys(ROLES, OK)),
    "favicon": ("get", [], dict.fromkeys(ROLES, 301)),
    "healthz": ("skip", [], {}),  # answers 200/503 by the state of the worker: tests/test_healthz.py
    "healthz-live": ("skip", [], {}),  # public, no dependencies: tests/test_healthz.py
    "healthz-ready": ("skip", [], {}),  # public, 200/503 by the database: tests/test_healthz.py
    "set-language": ("post", [], dict.fromkeys(ROLES, REDIRECT)),
    "login": ("get", [], roles(REDIRECT, anonymous=OK)),
    "logout": ("post", [], dict.fromkeys(ROLES, OK)),
    "my-page": ("get", [], roles(OK, anonymous=LOGIN)),
    # Applicants have no device: the code step has nothing to ask and sends them on; staff are verified.
    "login-verify": ("get", [], roles(REDIRECT, anonymous=LOGIN)),
    "two-factor": ("get", [], roles(OK, anonymous=LOGIN)),  # set-up for applicants, status for staff
    # Applicants without two-factor are sent to set it up; staff may not turn it off.
    "two-factor-turn-off": ("post", [], roles(FORBIDDEN, anonymous=LOGIN, **dict.fromkeys(APPLICANTS, REDIRECT))),
    "two-factor-backup-codes": ("post", [], roles(OK, anonymous=LOGIN, **dict.fromkeys(APPLICANTS, REDIRECT))),
    "organisation-detail": ("get", ["org_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK)),
    "staff-home": ("get", [], roles(OK, anonymous=LOGIN, **dict.fromkeys(APPLICANTS, FORBIDDEN))),
    "staff-scheme": ("get", ["scheme_x"], roles(NOT_FOUND, anonymous=LOGIN, officer_x=OK, admin=OK,
                                                **dict.fromkeys(APPLICANTS, FORBIDDEN))),
    "organisation-invite": ("post", ["org_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=REDIRECT,
                                                     ansvarlig_a=REDIRECT), INVITE),
    "membership-update": ("post", ["org_a", "membership_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=FORBIDDEN,
                                                                   ansvarlig_a=REDIRECT), {"role": "member"}),
    "invitation-revoke": ("post", ["org_a", "invitation_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=FORBIDDEN,
                                                                   ansvarlig_a=REDIRECT)),
    # The link itself is the credential: anyone holding it sees the invitation (and who it is for).
    "invitation-accept": ("get", ["token_a"], dict.fromkeys(ROLES, OK)),
    "my-invitation-respond": ("post", ["invitation_for_b"], roles(NOT_FOUND, anonymous=LOGIN, member_b=REDIRECT),
                              ACCEPT),
    "my-settings": ("get", [], roles(OK, anonymous=LOGIN)),
    # The password reset pages are open to everyone (a logged-in person may reset too); a link
    # with a bad token shows the "link no longer works" page.
    "password-reset": ("get", [], dict.fromkeys(ROLES, OK)),
    "password-reset-done": ("get", [], dict.fromkeys(ROLES, OK)),
    "password-reset-confirm": ("get", ["MQ", "ugyldig-token"], dict.fromkeys(ROLES, OK)),
    "password-reset-complete": ("get", [], dict.fromkeys(ROLES, OK)),
    # ID-porten, switched on (off, every one of them is a 404 for everyone: tests/accounts/test_idporten.py).
    "idporten-login": ("get", [], dict.fromkeys(ROLES, REDIRECT)),  # to ID-porten; logged in: to Min side
    "idporten-callback": ("get", [], dict.fromkeys(ROLES, REDIRECT)),  # no state: back with a message
    "idporten-logged-out": ("get", [], dict.fromkeys(ROLES, OK)),
    "idporten-link": ("post", [], roles(REDIRECT, anonymous=LOGIN)),
    "idporten-unlink": ("post", [], roles(REDIRECT, anonymous=LOGIN)),
    "eligibility-check": ("get", [], dict.fromkeys(ROLES, OK)),  # public; a member's form is prefilled
    # The public catalogue and its open data: the same for everyone.
    "scheme-catalogue": ("get", [], dict.fromkeys(ROLES, OK)),
    "scheme-detail": ("get", ["scheme_x"], dict.fromkeys(ROLES, OK)),
    # projects (the public project bank): open to all; a refused (unfunded) project is not public
    "project-bank": ("get", [], dict.fromkeys(ROLES, OK)),
    "project-detail": ("get", ["project_x"], dict.fromkeys(ROLES, OK)),
    # An officer's redaction page: the scheme's saksbehandlere and admins only.
    "project-redaction": ("get", ["project_x"], roles(FORBIDDEN, anonymous=LOGIN, officer_x=OK, admin=OK)),
    "statistics": ("get", [], dict.fromkeys(ROLES, OK)),
    "api-projects": ("get", [], dict.fromkeys(ROLES, OK)),
    "api-projects-csv": ("get", [], dict.fromkeys(ROLES, OK)),
    "statistics-csv": ("get", ["table_ar"], dict.fromkeys(ROLES, OK)),
    "procurement-kpis": ("get", [], dict.fromkeys(ROLES, OK)),
    "procurement-kpis-csv": ("get", ["table_ar"], dict.fromkeys(ROLES, OK)),
    "api-openapi": ("get", [], dict.fromkeys(ROLES, OK)),
    "api-dcat": ("get", [], dict.fromkeys(ROLES, OK)),
    "calls-calendar": ("get", [], dict.fromkeys(ROLES, OK)),
    "api-calls": ("get", [], dict.fromkeys(ROLES, OK)),
    "api-calls-csv": ("get", [], dict.fromkeys(ROLES, OK)),
    # An attachment uploaded by member_a (not yet part of an application): only they and a verified
    # superuser get it; for everyone else it does not exist.
    "file-download": ("get", ["file_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK, admin=OK)),
    # Watch lists: one's own; following is by slug (a missing slug is a message, not an error).
    "my-watches": ("get", [], roles(OK, anonymous=LOGIN)),
    "watch-follow": ("post", [], roles(REDIRECT, anonymous=LOGIN), {"scheme": "scheme_x"}),
    "watch-unfollow": ("post", ["watch_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=REDIRECT)),
    # The scheduler page: every staff member sees it (scoped to the schemes they handle); a retry
    # only for a row about a call of a scheme the person handles.
    "staff-scheduler": ("get", [], roles(OK, anonymous=LOGIN, **dict.fromkeys(APPLICANTS, FORBIDDEN))),
    "staff-scheduler-retry": ("post", ["failed_effect_x"], roles(
        NOT_FOUND, anonymous=LOGIN, officer_x=REDIRECT, admin=REDIRECT, **dict.fromkeys(APPLICANTS, FORBIDDEN))),
    # --- applications/views/parts.py: the applicant's organisation edits; partner P reads (its POSTs are 403);
    # staff do not see a draft; everyone else gets 404.
    "application-partners": ("get", ["application_a", "partners_q"], roles(
        NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK, partner_p=OK)),
    "application-partner-lookup": ("get", ["application_a", "partners_q"], roles(
        NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK, partner_p=FORBIDDEN), {"org_number": "org_a"}),
    "application-partner-remove": ("post", ["application_a", "partners_q", "partner_row_a"], roles(
        NOT_FOUND, anonymous=LOGIN, member_a=REDIRECT, ansvarlig_a=REDIRECT, partner_p=FORBIDDEN)),
    "application-budget": ("get", ["application_a", "budget_q"], roles(
        NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK, partner_p=OK)),
    "application-attachments": ("get", ["application_a", "attachment_q"], roles(
        NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK, partner_p=OK)),
    "application-file-remove": ("post", ["application_a", "file_row_a"], roles(
        NOT_FOUND, anonymous=LOGIN, member_a=REDIRECT, ansvarlig_a=REDIRECT, partner_p=FORBIDDEN)),
    # applications/views/drafting.py: starting is for every logged-in person (no membership: a message);
    # a draft is its organisation's, read-only for partners; staff of the scheme see it once submitted;
    # copying is for the applicant's members only.
    "application-start": ("get", ["call_x"], roles(OK, anonymous=LOGIN)),
    "application-detail": ("get", ["application_s"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK,
                                                             partner_p=OK, officer_x=OK, admin=OK)),
    "application-section": ("get", ["application_a", "section_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK,
                                                                         ansvarlig_a=OK, partner_p=OK)),
    "application-check": ("get", ["application_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK,
                                                           partner_p=OK)),
    "application-copy": ("get", ["application_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK,
                                                          partner_p=FORBIDDEN)),
    # --- applications/views/submission.py: the applicant's organisation acts, partners read, staff
    # handling scheme X read once submitted (application_s), never the draft (application_a).
    "application-list": ("get", [], roles(OK, anonymous=LOGIN)),
    "application-submit": ("get", ["application_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK,
                                                           partner_p=FORBIDDEN)),
    "application-request-approval": ("post", ["application_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=REDIRECT,
                                                                      ansvarlig_a=REDIRECT, partner_p=FORBIDDEN)),
    "application-reopen": ("post", ["application_s"], roles(NOT_FOUND, anonymous=LOGIN, ansvarlig_a=REDIRECT,
                                                            member_a=FORBIDDEN, partner_p=FORBIDDEN,
                                                            officer_x=FORBIDDEN, admin=FORBIDDEN)),
    "application-withdraw": ("get", ["application_a"], roles(NOT_FOUND, anonymous=LOGIN, ansvarlig_a=OK,
                                                             member_a=FORBIDDEN, partner_p=FORBIDDEN)),
    "application-timeline": ("get", ["application_s"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK,
                                                             partner_p=OK, officer_x=OK, admin=OK)),
    "application-version": ("get", ["application_s", "version_s"], roles(
        NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK, partner_p=OK, officer_x=OK, admin=OK)),
    "application-receipt": ("get", ["application_s", "version_s"], roles(
        NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK, partner_p=OK, officer_x=OK, admin=OK)),
    # review/views (case.py, reviewer.py, result.py): the officer's case page and its actions, the
    # reviewer's pages and the applicant's decision and offer (H6; h6_* args in the world).
    "staff-application": ("get", ["application_s"], h6_staff(officer_x=OK, admin=OK)),
    "staff-application-access": ("get", ["application_s"], h6_staff(officer_x=OK, admin=OK)),
    "staff-application-access-csv": ("get", ["application_s"], h6_staff(officer_x=OK, admin=OK)),
    "staff-application-formal-check": ("post", ["h6_formal"], h6_staff(officer_x=REDIRECT, admin=REDIRECT),
                                       {"result": "godkjenn"}),
    "staff-application-assign": ("post", ["h6_review"], h6_staff(officer_x=REDIRECT, admin=REDIRECT),
                                 {"reviewer": "h6_reviewer2", "due_date": "h6_due"}),
    "staff-application-consensus": ("post", ["h6_review"], h6_staff(officer_x=REDIRECT, admin=REDIRECT),
                                    {"criterion": "h6_criterion", "score": "5"}),
    "staff-application-assessed": ("post", ["h6_review"], h6_staff(officer_x=REDIRECT, admin=REDIRECT)),
    "staff-application-transition": ("post", ["application_s"], h6_staff(officer_x=REDIRECT, admin=REDIRECT),
                                     {"transition": "start-formal-check"}),
    "staff-decision-prepare": ("post", ["h6_assessed"], h6_staff(officer_x=REDIRECT, admin=REDIRECT),
                               {"outcome": "avsla"}),
    # Prepared by the superuser: officer_x confirms; the superuser is refused (four-eyes) on the page.
    "staff-decision-confirm": ("post", ["h6_decision"], h6_staff(officer_x=REDIRECT, admin=OK)),
    "staff-decision-cancel": ("post", ["h6_decision"], h6_staff(officer_x=REDIRECT, admin=REDIRECT)),
    "reviewer-assignments": ("get", [], roles(OK, anonymous=LOGIN, **dict.fromkeys(APPLICANTS, FORBIDDEN))),
    "reviewer-assignment": ("get", ["h6_assignment"], h6_staff(reviewer=OK)),
    "reviewer-assignment-declare": ("post", ["h6_assignment"], h6_staff(reviewer=OK), {"conflict": "nei"}),  # declared
    "reviewer-assignment-review": ("post", ["h6_assignment"], h6_staff(reviewer=REDIRECT), {"action": "utkast"}),
    "application-offer": ("get", ["h6_offered"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK)),
    "application-offer-answer": ("post", ["h6_offered"], roles(NOT_FOUND, anonymous=LOGIN, member_a=FORBIDDEN,
                                                               ansvarlig_a=REDIRECT), {"answer": "aksepter"}),
    "application-decision-letter": ("get", ["h6_offered"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK,
                                                                 ansvarlig_a=OK)),
    # casework/views.py (H5): the work queue's CSV and bulk action, the panel of a call. Every staff
    # member may ask (a reviewer's queue is empty); a bulk action by a reviewer is refused; posted rows
    # outside the person's schemes are ignored (officer_y is sent back with nothing moved).
    "staff-queue-csv": ("get", [], roles(OK, anonymous=LOGIN, **dict.fromkeys(APPLICANTS, FORBIDDEN))),
    "staff-queue-action": ("post", [], roles(REDIRECT, anonymous=LOGIN, reviewer=FORBIDDEN,
                                             **dict.fromkeys(APPLICANTS, FORBIDDEN)),
                           {"handling": "start-formal-check", "soknad": "application_s"}),
    "staff-call-panel": ("get", ["call_x"], roles(NOT_FOUND, anonymous=LOGIN, officer_x=OK, admin=OK,
                                                  **dict.fromkeys(APPLICANTS, FORBIDDEN))),
    # review/views/reports.py (H7): the applicant's reports (its own members only: partners and staff 404),
    # and the officers' list of late and soon due reports (every staff member may ask; it shows their schemes).
    "application-reports": ("get", ["h7_reporting"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK)),
    "staff-reports-overdue": ("get", [], roles(OK, anonymous=LOGIN, **dict.fromkeys(APPLICANTS, FORBIDDEN))),
    "staff-benefits": ("get", [], roles(OK, anonymous=LOGIN, **dict.fromkeys(APPLICANTS, FORBIDDEN))),
    # Similar projects for an application: whoever may read it (officers of X once it is submitted).
    "application-similar": ("get", ["application_s"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK, ansvarlig_a=OK,
                                                             partner_p=OK, officer_x=OK, admin=OK)),
    "application-benefits": ("get", ["application_a"], roles(NOT_FOUND, anonymous=LOGIN, member_a=OK,
                                                              ansvarlig_a=OK, partner_p=OK)),
    "admin:*": ("get", [], roles(REDIRECT, admin=OK)),
}  # fmt: skip


def project_url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                yield "admin:*"
                continue
            yield from project_url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_is_in_the_matrix():
    names = set(project_url_names())
    assert names - set(MATRIX) == set(), "add these URLs to the authorization matrix"
    assert set(MATRIX) - names == set(), "these matrix entries name no URL"


@pytest.fixture
def world(django_capture_on_commit_callbacks, settings, tmp_path):
    org_a, org_b, org_p = OrganisationFactory(), OrganisationFactory(), OrganisationFactory(kind="forskning")
    agency = AgencyFactory()
    scheme_x, scheme_y = SchemeFactory(agencies=[agency]), SchemeFactory(agencies=[agency])
    users = {
        "anonymous": None,
        "member_a": MembershipFactory(organisation=org_a).user,
        "ansvarlig_a": MembershipFactory(organisation=org_a, role=Membership.Role.ANSVARLIG).user,
        "member_b": MembershipFactory(organisation=org_b).user,
        "partner_p": MembershipFactory(organisation=org_p).user,
        "officer_x": StaffRoleFactory(agency=agency, schemes=[scheme_x]).user,
        "officer_y": StaffRoleFactory(agency=agency, schemes=[scheme_y]).user,
        "reviewer": StaffRoleFactory(agency=agency, role=StaffRole.Role.REVIEWER).user,
        "admin": SuperuserFactory(),
        "no_org": UserFactory(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        invitation_a = invitation_create(
            organisation=org_a, invited_by=users["ansvarlig_a"], email="ny@example.no", base_url="http://testserver/"
        )
        invitation_for_b = invitation_create(
            organisation=org_a,
            invited_by=users["ansvarlig_a"],
            email=users["member_b"].email,
            base_url="http://testserver/",
        )
    token_a = mail.outbox[0].body.split("/invitasjon/")[1].split("/")[0]
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }
    file_a = file_store(
        uploaded_file=SimpleUploadedFile("a.pdf", pdf_bytes()),
        allowed=["pdf"],
        max_bytes=1024**2,
        by_user=users["member_a"],
    )
    call_x = call_with_form(scheme=scheme_x)
    # Applications of A in call X: a draft (partner P, one attachment) and a submitted one.
    application_a = make_application(organisation=org_a, call=call_x, by_user=users["member_a"])
    partner_row_a = application_partner_add(application_id=application_a.pk, question_key="partnere",
                                            org_number=org_p.org_number, role="research-partner",
                                            by_user=users["member_a"])  # fmt: skip
    file_row_a = application_file_add(application_id=application_a.pk, question_key="prosjektbeskrivelse",
                                      uploaded_file=SimpleUploadedFile("b.pdf", pdf_bytes()),
                                      by_user=users["member_a"])  # fmt: skip
    application_s = make_application(organisation=org_a, call=call_x, by_user=users["ansvarlig_a"])
    with django_capture_on_commit_callbacks(execute=False):
        complete_application(application_s, users["ansvarlig_a"], partner=org_p)
        application_submit(application_id=application_s.pk, by_user=users["ansvarlig_a"], now=timezone.now())
    failed_effect_x = ScheduledEffect.objects.create(
        kind="call-open", key=f"call-open:{call_x.pk}", due_at=call_x.opens_at, state="failed", target_type="call",
        target_id=call_x.pk, failure_reason="test",
    )  # fmt: skip
    watch_a = Watch.objects.create(user=users["member_a"], scheme=scheme_x)
    h6_args = _h6_world(users, agency, call_x, org_a, django_capture_on_commit_callbacks)
    args = {
        "org_a": org_a.org_number,
        "scheme_x": scheme_x.slug,
        "membership_a": org_a.memberships.get(user=users["member_a"]).pk,
        "invitation_a": invitation_a.pk,
        "invitation_for_b": invitation_for_b.pk,
        "token_a": token_a,
        "file_a": file_a.pk,
        "watch_a": watch_a.pk,
        "failed_effect_x": failed_effect_x.pk,
        "call_x": call_x.slug,
        "application_a": application_a.pk,
        "application_s": application_s.pk,
        "section_a": "om-prosjektet",
        "partners_q": "partnere",
        "budget_q": "budsjett",
        "attachment_q": "prosjektbeskrivelse",
        "partner_row_a": partner_row_a.pk,
        "file_row_a": file_row_a.pk,
        "stored_file_a": file_row_a.stored_file_id,
        "version_s": 1,
        "project_x": make_project(organisation=org_a, scheme=scheme_x).pk,
        "table_ar": "ar",
        **h6_args,
        **_h7_world(users, call_x, org_a, org_p),
    }
    return {"users": users, "args": args, "scheme_x_name": scheme_x.name}


def _h6_world(users, agency, call_x, org_a, capture):
    """review/views (H6): applications of A in call X at each step after submission, moved on by the
    review services (the draft is put in formal check directly: submission is not what is tested)."""
    from applications.models import Application
    from applications.workflow import State
    from review.models import Outcome
    from review.services import (
        assessment_complete,
        conflict_declare,
        decision_confirm,
        decision_prepare,
        formal_check_record,
        reviewer_assign,
    )
    from tests.factories import AssessmentCriterionFactory

    officer, admin, reviewer = users["officer_x"], users["admin"], users["reviewer"]
    criterion = AssessmentCriterionFactory(call=call_x)
    apps = {}
    for name in ("formal", "review", "assessed", "decision", "offered"):
        apps[name] = make_application(organisation=org_a, call=call_x, by_user=users["ansvarlig_a"])
        Application.objects.filter(pk=apps[name].pk).update(state=State.FORMAL_CHECK)
    with capture(execute=False):
        for name in ("review", "assessed", "decision", "offered"):
            formal_check_record(application_id=apps[name].pk, by_user=officer, approved=True)
        assignment = reviewer_assign(application_id=apps["review"].pk, reviewer=reviewer, by_user=officer,
                                     due_date=timezone.localdate())  # fmt: skip
        conflict_declare(assignment_id=assignment.pk, by_user=reviewer, conflict=False)
        for name in ("assessed", "decision", "offered"):
            assessment_complete(application_id=apps[name].pk, by_user=officer)
        decision_prepare(application_id=apps["decision"].pk, by_user=admin, outcome=Outcome.REJECT)
        offered = decision_prepare(application_id=apps["offered"].pk, by_user=officer, outcome=Outcome.APPROVE,
                                   granted_amount=100_000)  # fmt: skip
        decision_confirm(decision_id=offered.pk, by_user=admin)
    return {
        **{f"h6_{name}": apps[name].pk for name in ("formal", "review", "assessed", "offered")},
        "h6_decision": apps["decision"].decisions.get().pk,
        "h6_assignment": assignment.pk,
        "h6_criterion": criterion.pk,
        "h6_reviewer2": StaffRoleFactory(agency=agency, role=StaffRole.Role.REVIEWER).user.pk,
        "h6_due": f"{timezone.localdate() + timedelta(days=60):%d.%m.%Y}",  # the form refuses a past date
    }


def _h7_world(users, call_x, org_a, org_p):
    """review/views/reports.py (H7): a funded project of A (partner P) in reporting, with a report due."""
    from applications.models import Application
    from applications.workflow import State
    from review.models import ProjectReport

    reporting = make_application(organisation=org_a, call=call_x, by_user=users["ansvarlig_a"])
    application_partner_add(application_id=reporting.pk, question_key="partnere", org_number=org_p.org_number,
                            role="research-partner", by_user=users["ansvarlig_a"])  # fmt: skip
    Application.objects.filter(pk=reporting.pk).update(state=State.IN_REPORTING)
    ProjectReport.objects.create(application=reporting, kind=ProjectReport.Kind.PROGRESS,
                                 due_date=timezone.localdate() - timedelta(days=3))  # fmt: skip
    return {"h7_reporting": reporting.pk}


@pytest.mark.parametrize("url_name", [name for name, entry in MATRIX.items() if entry[0] != "skip"])
def test_matrix(client, settings, world, url_name):
    """Each role in turn against one URL, on the same world: each request runs in a savepoint that is
    rolled back afterwards, so what one role's POST changed is gone before the next role tries (and
    the world is built once per URL, not once per role)."""
    method, args, expected, *data = MATRIX[url_name]
    settings.IDPORTEN_ENABLED = True
    url = (
        reverse("admin:index")
        if url_name == "admin:*"
        else reverse(url_name, args=[world["args"].get(a, a) for a in args])
    )
    data = {"language": "nb", "next": "/"} if url_name == "set-language" else (data[0] if data else {})
    data = {key: world["args"].get(value, value) for key, value in data.items()}
    wrong = []
    for role in ROLES:
        client.logout()
        client.cookies.clear()
        user = world["users"][role]
        with transaction.atomic():
            if role in NEEDS_TWO_FACTOR:
                force_login_verified(client, user)
            elif user is not None:
                client.force_login(user)
            response = getattr(client, method)(url, data)
            transaction.set_rollback(True)
        if expected[role] == LOGIN:
            if response.status_code != 302 or not response["Location"].startswith(reverse("login") + "?next="):
                wrong.append(f"{role}: expected the login page, got {response.status_code}")
        elif response.status_code != expected[role]:
            wrong.append(f"{role}: expected {expected[role]}, got {response.status_code}")
    assert not wrong, f"{url_name}: " + "; ".join(wrong)


STAFF_URLS = [name for name in MATRIX if name.startswith("staff-")]


@pytest.mark.parametrize("has_device", [True, False], ids=["with-device", "without-device"])
@pytest.mark.parametrize("role", NEEDS_TWO_FACTOR)
def test_staff_without_a_verified_session_are_sent_to_two_factor_from_every_staff_url(client, world, role, has_device):
    """The same people as above, logged in with the password only: no staff page and no admin page
    opens; they are sent to the code step (or to set up two-factor), and nothing is written but an
    unconfirmed device to set up. (Officers and reviewers are not admin users: the admin refuses
    them whatever their session, see the matrix.)"""
    user = world["users"][role]
    if has_device:
        totp_device(user)
    confirmed_before = list(TOTPDevice.objects.filter(confirmed=True).values_list("pk", "throttling_failure_count"))
    client.force_login(user)
    target = reverse("login-verify") if has_device else reverse("two-factor")
    urls = [reverse(name, args=[world["args"][a] for a in MATRIX[name][1]]) for name in STAFF_URLS]
    if user.is_staff:
        urls.append(reverse("admin:index"))
    assert len(urls) >= 2
    for url in urls:
        response = client.get(url, follow=True)
        assert response.redirect_chain, f"{url} as {role} opened without two-factor"
        assert response.request["PATH_INFO"] == target, f"{url} as {role} ended at {response.request['PATH_INFO']}"
        assert parse_qs(urlsplit(response.redirect_chain[-1][0]).query)["next"] == [url]
        assert response.status_code == 200
        assert "Som saksbehandler, fagekspert eller administrator må du" in response.text
        assert world["scheme_x_name"] not in response.text
    assert "otp_device_id" not in client.session
    confirmed_after = list(TOTPDevice.objects.filter(confirmed=True).values_list("pk", "throttling_failure_count"))
    assert confirmed_after == confirmed_before
