"""Login, logout, Min side and the organisation page: permissions, bad input, query counts."""

import pytest
from django.urls import reverse

from organisations.models import Membership
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_a_wrong_password_says_so_in_norwegian_and_keeps_the_email(client):
    user = UserFactory(email="kari@bergen.kommune.no")
    response = client.post(reverse("login"), {"username": "Kari@Bergen.kommune.no", "password": "feil-passord"})
    assert response.status_code == 200
    assert "Feil e-post eller passord" in response.text
    assert 'value="Kari@Bergen.kommune.no"' in response.text
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.last_login is None


def test_login_is_case_insensitive_on_email_gives_a_fresh_session_and_goes_to_min_side(client):
    UserFactory(email="kari@bergen.kommune.no")
    client.get(reverse("login"))
    before = client.session.session_key
    response = client.post(reverse("login"), {"username": "KARI@bergen.kommune.no", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("my-page")
    assert client.session.session_key != before


def test_login_refuses_an_offsite_next(client):
    UserFactory(email="kari@bergen.kommune.no")
    response = client.post(
        reverse("login"),
        {"username": "kari@bergen.kommune.no", "password": DEFAULT_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("my-page")


def test_logout_is_post_only_and_ends_the_session(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_min_side_needs_login_and_lists_my_organisations_with_a_constant_query_count(
    client, django_assert_max_num_queries
):
    url = reverse("my-page")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    user = UserFactory()
    MembershipFactory.create_batch(30, user=user)
    MembershipFactory(user=user, role=Membership.Role.ANSVARLIG, organisation__name="Bergen kommune (test)")
    MembershipFactory.create_batch(5)  # other people's memberships
    client.force_login(user)
    # session, user, memberships, invitations, notices, staff roles (menu) + 2 for the idle-expiry
    # session save
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert response.text.count("<tr>") == 1 + 31
    assert "Bergen kommune (test)" in response.text
    assert "Administrativt ansvarlig" in response.text


def test_organisation_page_is_hidden_from_anonymous_and_outsiders_and_shown_to_members(
    client, django_assert_max_num_queries
):
    org = OrganisationFactory()
    MembershipFactory.create_batch(40, organisation=org)
    url = reverse("organisation-detail", args=[org.org_number])

    assert client.get(url).status_code == 302  # to login

    outsider = MembershipFactory().user  # member of another organisation
    client.force_login(outsider)
    assert client.get(url).status_code == 404

    member = MembershipFactory(organisation=org).user
    client.force_login(member)
    with django_assert_max_num_queries(10):  # constant: 41 members do not add queries (+1 staff menu, +1 invitations)
        response = client.get(url)
    assert response.status_code == 200
    assert response.text.count("<tr>") == 1 + 41


def test_an_unknown_organisation_number_is_a_404_not_an_error(client):
    client.force_login(UserFactory())
    assert client.get(reverse("organisation-detail", args=["123"])).status_code == 404
