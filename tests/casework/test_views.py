"""The staff start page and a scheme's staff page: who may open them, and pinned query counts."""

import pytest
from django.urls import reverse

from accounts.models import StaffRole
from accounts.permissions import can_handle_scheme, is_agency_staff, requires_two_factor
from tests.factories import (
    AgencyFactory,
    MembershipFactory,
    SchemeFactory,
    StaffRoleFactory,
    SuperuserFactory,
    UserFactory,
)
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db


def test_an_applicant_is_refused_with_an_explanation_and_an_officer_gets_in(client):
    applicant = MembershipFactory().user
    client.force_login(applicant)
    response = client.get(reverse("staff-home"))
    assert response.status_code == 403
    assert "Du har ikke tilgang til denne siden" in response.text
    assert "Sidene for saksbehandling er bare for saksbehandlere" in response.text

    officer = StaffRoleFactory(schemes=[]).user
    force_login_verified(client, officer)
    assert client.get(reverse("staff-home")).status_code == 200


def test_the_staff_home_lists_only_my_schemes_with_a_constant_query_count(client, django_assert_max_num_queries):
    agency = AgencyFactory()
    mine = SchemeFactory.create_batch(25, agencies=[agency, AgencyFactory()])
    others = SchemeFactory.create_batch(5, agencies=[agency])
    officer = StaffRoleFactory(agency=agency, schemes=mine).user
    StaffRoleFactory(user=officer, role=StaffRole.Role.REVIEWER, agency=AgencyFactory())
    force_login_verified(client, officer)
    # session, user, the verified OTP device, staff roles (+ their schemes), schemes, the queue's
    # filter choices (calls, reviewers) and its page, and 3 for the idle-expiry session save
    # (savepoint, update, release): 25 schemes with 2 agencies each add none.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("staff-home"))
    assert response.status_code == 200
    for scheme in mine:
        assert scheme.name in response.text
    for scheme in others:
        assert scheme.name not in response.text


def test_an_administrator_handles_every_scheme_of_the_agency_and_no_other(client):
    agency, other_agency = AgencyFactory(), AgencyFactory()
    own, foreign = SchemeFactory(agencies=[agency]), SchemeFactory(agencies=[other_agency])
    administrator = StaffRoleFactory(agency=agency, role=StaffRole.Role.ADMINISTRATOR).user
    force_login_verified(client, administrator)
    assert client.get(reverse("staff-scheme", args=[own.slug])).status_code == 200
    assert client.get(reverse("staff-scheme", args=[foreign.slug])).status_code == 404
    assert can_handle_scheme(administrator, own) and not can_handle_scheme(administrator, foreign)


def test_an_officer_of_another_scheme_gets_404_and_the_scheme_s_officer_sees_its_staff(
    client, django_assert_max_num_queries
):
    agency = AgencyFactory()
    scheme, other = SchemeFactory(agencies=[agency]), SchemeFactory(agencies=[agency])
    outsider = StaffRoleFactory(agency=agency, schemes=[other]).user
    force_login_verified(client, outsider)
    response = client.get(reverse("staff-scheme", args=[scheme.slug]))
    assert response.status_code == 404
    assert scheme.name not in response.text

    officers = [StaffRoleFactory(agency=agency, schemes=[scheme]).user for _ in range(20)]
    StaffRoleFactory(agency=agency, role=StaffRole.Role.ADMINISTRATOR)
    force_login_verified(client, officers[0])
    with django_assert_max_num_queries(11):  # 21 staff rows add no queries (+1: the verified OTP device)
        response = client.get(reverse("staff-scheme", args=[scheme.slug]))
    assert response.status_code == 200
    assert response.text.count("<tr>") == 1 + 21
    assert outsider.get_full_name() not in response.text


def test_a_reviewer_handles_no_scheme_and_an_inactive_officer_loses_access(client):
    scheme = SchemeFactory()
    reviewer = StaffRoleFactory(role=StaffRole.Role.REVIEWER, agency=scheme.agencies.get(), schemes=[scheme]).user
    assert is_agency_staff(reviewer)
    assert not can_handle_scheme(reviewer, scheme)

    officer = StaffRoleFactory(agency=scheme.agencies.get(), schemes=[scheme]).user
    assert can_handle_scheme(officer, scheme)
    officer.is_active = False
    officer.save()
    officer = type(officer).objects.get(pk=officer.pk)
    assert not is_agency_staff(officer) and not can_handle_scheme(officer, scheme)


def test_who_needs_two_factor():
    assert requires_two_factor(StaffRoleFactory().user)
    assert requires_two_factor(SuperuserFactory())
    assert not requires_two_factor(MembershipFactory().user)
    assert not requires_two_factor(UserFactory())


def test_the_staff_menu_shows_for_staff_only(client):
    client.force_login(MembershipFactory().user)
    assert reverse("staff-home") not in client.get(reverse("my-page")).text
    force_login_verified(client, StaffRoleFactory().user)
    assert reverse("staff-home") in client.get(reverse("my-page")).text
