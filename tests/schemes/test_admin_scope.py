"""An agency's administrator edits only the agency's schemes and calls in the admin; a superuser all."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import StaffRole
from schemes.models import Scheme
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


def test_the_administrator_role_alone_lets_one_build_a_scheme_of_one_s_own_agency(client):
    """No Django permissions: the role at the agency is enough to add a scheme (only with one's own
    agencies to choose from), and a call with its criteria and stages; not to delete them."""
    own_agency, other_agency = AgencyFactory(name="Egen forvalter"), AgencyFactory(name="Annen forvalter")
    administrator = StaffRoleFactory(agency=own_agency, role=StaffRole.Role.ADMINISTRATOR).user
    administrator.is_staff = True
    administrator.save()
    force_login_verified(client, administrator)

    index = client.get(reverse("admin:index")).text
    assert reverse("admin:schemes_scheme_add") in index and reverse("admin:schemes_call_add") in index
    page = client.get(reverse("admin:schemes_scheme_add"))
    assert list(page.context["adminform"].form.fields["agencies"].queryset) == [own_agency]
    assert "Egen forvalter" in page.text and "Annen forvalter" not in page.text
    scheme = SchemeFactory(agencies=[own_agency])
    response = client.get(reverse("admin:schemes_call_add"))
    assert response.status_code == 200
    assert {f.formset.prefix for f in response.context["inline_admin_formsets"]} >= {"criteria", "stages"}
    assert all(
        f.has_add_permission for f in response.context["inline_admin_formsets"] if f.formset.prefix != "rule_versions"
    )
    call = CallFactory(scheme=scheme)
    assert client.get(reverse("admin:schemes_call_change", args=[call.pk])).status_code == 200
    assert client.get(reverse("admin:schemes_call_delete", args=[call.pk])).status_code == 403
    other = CallFactory(scheme=SchemeFactory(agencies=[other_agency]))
    assert client.get(reverse("admin:schemes_call_change", args=[other.pk])).status_code == 302  # not there


def test_an_officer_role_gives_no_scheme_editing(client):
    officer = StaffRoleFactory(role=StaffRole.Role.OFFICER).user
    officer.is_staff = True
    officer.save()
    force_login_verified(client, officer)
    assert client.get(reverse("admin:schemes_scheme_add")).status_code == 403
    assert client.get(reverse("admin:schemes_call_add")).status_code == 403


def test_the_administrator_chooses_the_scheme_s_officers_on_the_scheme_page(client):
    agency, other_agency = AgencyFactory(name="Egen forvalter"), AgencyFactory(name="Annen forvalter")
    administrator = StaffRoleFactory(agency=agency, role=StaffRole.Role.ADMINISTRATOR).user
    administrator.is_staff = True
    administrator.save()
    old = SchemeFactory(agencies=[agency])
    officer = StaffRoleFactory(agency=agency, schemes=[old], user__full_name="Olav Saksbehandler")
    foreign = StaffRoleFactory(agency=other_agency, schemes=[SchemeFactory(agencies=[other_agency])])
    force_login_verified(client, administrator)

    page = client.get(reverse("admin:schemes_scheme_add"))
    assert list(page.context["adminform"].form.fields["officers"].queryset) == [officer]
    data = {"name": "Nærmiljølaben", "slug": "naermiljolaben", "agencies": [str(agency.pk)],
            "instrument": "tilskudd", "is_active": "on", "officers": [str(officer.pk)]}  # fmt: skip
    for formset in page.context["inline_admin_formsets"]:
        data.update({f"{formset.formset.prefix}-TOTAL_FORMS": "0", f"{formset.formset.prefix}-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:schemes_scheme_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    new = Scheme.objects.get(slug="naermiljolaben")
    assert set(officer.schemes.all()) == {old, new}
    change = client.get(reverse("admin:schemes_scheme_change", args=[new.pk]))
    assert change.context["adminform"].form["officers"].value() == [officer.pk]

    data["officers"] = []
    client.post(reverse("admin:schemes_scheme_change", args=[new.pk]), data)
    assert set(officer.schemes.all()) == {old}
    assert foreign.schemes.count() == 1  # another agency's officer is not touched


def test_an_officer_of_an_agency_that_does_not_run_the_scheme_is_refused(client):
    force_login_verified(client, SuperuserFactory())
    agency, other_agency = AgencyFactory(), AgencyFactory()
    outsider = StaffRoleFactory(agency=other_agency, schemes=[SchemeFactory(agencies=[other_agency])],
                                user__full_name="Ola Utenfor")  # fmt: skip
    page = client.get(reverse("admin:schemes_scheme_add"))
    data = {"name": "Nærmiljølaben", "slug": "naermiljolaben", "agencies": [str(agency.pk)],
            "instrument": "tilskudd", "is_active": "on", "officers": [str(outsider.pk)]}  # fmt: skip
    for formset in page.context["inline_admin_formsets"]:
        data.update({f"{formset.formset.prefix}-TOTAL_FORMS": "0", f"{formset.formset.prefix}-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:schemes_scheme_add"), data)
    assert response.status_code == 200
    assert "Er ikke saksbehandler ved en forvalter av ordningen: Ola Utenfor." in response.text
    assert not Scheme.objects.filter(slug="naermiljolaben").exists()
