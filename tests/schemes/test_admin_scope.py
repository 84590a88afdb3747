"""An agency's administrator edits only the agency's schemes and calls in the admin; a superuser all."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import StaffRole
from tests.factories import AgencyFactory, CallFactory, SchemeFactory, StaffRoleFactory, SuperuserFactory
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own_agency, other_agency = AgencyFactory(), AgencyFactory()
    own, other = SchemeFactory(agencies=[own_agency]), SchemeFactory(agencies=[other_agency])
    administrator = StaffRoleFactory(agency=own_agency, role=StaffRole.Role.ADMINISTRATOR).user
    administrator.is_staff = True
    administrator.save()
    administrator.user_permissions.set(
        Permission.objects.filter(codename__in=["view_call", "change_call", "add_call", "view_scheme", "change_scheme"])
    )
    return {"own": own, "other": other, "own_call": CallFactory(scheme=own), "other_call": CallFactory(scheme=other),
            "administrator": administrator}  # fmt: skip


def test_the_administrator_sees_and_edits_only_the_agency_s_calls(client, world):
    force_login_verified(client, world["administrator"])
    listing = client.get(reverse("admin:schemes_call_changelist")).text
    assert world["own_call"].title in listing and world["other_call"].title not in listing
    assert client.get(reverse("admin:schemes_call_change", args=[world["own_call"].pk])).status_code == 200
    # Another agency's call is not there for them (the admin redirects away from a missing object).
    response = client.get(reverse("admin:schemes_call_change", args=[world["other_call"].pk]))
    assert response.status_code == 302
    assert client.get(reverse("admin:schemes_scheme_change", args=[world["other"].pk])).status_code == 302
    add_form = client.get(reverse("admin:schemes_call_add")).context["adminform"].form
    assert list(add_form.fields["scheme"].queryset) == [world["own"]]


def test_a_superuser_edits_every_agency_s_calls(client, world):
    force_login_verified(client, SuperuserFactory())
    for call in (world["own_call"], world["other_call"]):
        assert client.get(reverse("admin:schemes_call_change", args=[call.pk])).status_code == 200
