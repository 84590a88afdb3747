"""The ansvarlig manages members: roles and removal, never leaving the organisation without an ansvarlig."""

import pytest
from django.urls import reverse

from organisations.models import Membership
from organisations.services import invitation_create
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _update(client, membership, **data):
    url = reverse("membership-update", args=[membership.organisation.org_number, membership.pk])
    return client.post(url, data, follow=True)


def test_a_member_cannot_change_roles_and_the_ansvarlig_can(client):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    colleague = MembershipFactory(organisation=ansvarlig.organisation)
    other = MembershipFactory(organisation=ansvarlig.organisation)
    client.force_login(colleague.user)
    response = client.post(
        reverse("membership-update", args=[ansvarlig.organisation.org_number, other.pk]), {"role": "ansvarlig"}
    )
    assert response.status_code == 403
    assert "Bare administrativt ansvarlig i organisasjonen kan endre roller" in response.text
    other.refresh_from_db()
    assert other.role == Membership.Role.MEMBER

    client.force_login(ansvarlig.user)
    response = _update(client, other, action="role", role="ansvarlig")
    assert "har nå rollen Administrativt ansvarlig" in response.text
    other.refresh_from_db()
    assert other.role == Membership.Role.ANSVARLIG


def test_the_last_ansvarlig_can_neither_step_down_nor_be_removed(client):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    client.force_login(ansvarlig.user)
    response = _update(client, ansvarlig, action="role", role="member")
    assert "minst én administrativt ansvarlig" in response.text
    response = _update(client, ansvarlig, action="remove")
    assert "Den siste administrativt ansvarlige kan ikke fjernes" in response.text
    ansvarlig.refresh_from_db()
    assert ansvarlig.role == Membership.Role.ANSVARLIG

    second = MembershipFactory(organisation=ansvarlig.organisation, role=Membership.Role.ANSVARLIG)
    response = _update(client, second, action="remove")
    assert "er fjernet fra organisasjonen" in response.text
    assert not Membership.objects.filter(pk=second.pk).exists()


def test_an_outsider_gets_404_for_another_organisation_s_member(client):
    membership = MembershipFactory()
    outsider = MembershipFactory(role=Membership.Role.ANSVARLIG)
    client.force_login(outsider.user)
    url = reverse("membership-update", args=[membership.organisation.org_number, membership.pk])
    assert client.post(url, {"action": "remove"}).status_code == 404
    # Nor through the outsider's own organisation's URL with the other's membership id.
    url = reverse("membership-update", args=[outsider.organisation.org_number, membership.pk])
    assert client.post(url, {"action": "remove"}).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_organisation_page_for_the_ansvarlig_has_a_constant_query_count(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    MembershipFactory.create_batch(30, organisation=ansvarlig.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(20):
            invitation_create(organisation=ansvarlig.organisation, invited_by=ansvarlig.user,
                              email=f"ny{n}@example.no", base_url="http://testserver/")  # fmt: skip
    client.force_login(ansvarlig.user)
    with django_assert_max_num_queries(10):  # 31 members and 20 invitations add no queries
        response = client.get(reverse("organisation-detail", args=[ansvarlig.organisation.org_number]))
    assert response.status_code == 200
    assert response.text.count('name="action" value="remove"') == 31
    assert response.text.count("ny1") >= 1 and "Ventende invitasjoner" in response.text
