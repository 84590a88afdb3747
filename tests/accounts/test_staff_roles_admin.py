"""Staff roles are granted in the admin, with the scheme and agency checked; never self-served."""

import pytest
from django.urls import reverse

from accounts.models import StaffRole
from tests.factories import AgencyFactory, SchemeFactory, SuperuserFactory, UserFactory
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db


def _post_roles(client, person, *, role, agency, schemes):
    url = reverse("admin:accounts_user_change", args=[person.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"groups", "user_permissions"}}
    for inline in page.context["inline_admin_formsets"]:  # the page's other inlines, unchanged
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(
        {
            "date_joined_0": person.date_joined.strftime("%d.%m.%Y"),
            "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
            "staff_roles-TOTAL_FORMS": "1",
            "staff_roles-INITIAL_FORMS": "0",
            "staff_roles-MIN_NUM_FORMS": "0",
            "staff_roles-MAX_NUM_FORMS": "1000",
            "staff_roles-0-role": role,
            "staff_roles-0-agency": str(agency.pk),
            "staff_roles-0-schemes": [str(s.pk) for s in schemes],
            "staff_roles-0-user": str(person.pk),
        }
    )
    data.pop("last_login", None)
    return client.post(url, data)


def test_an_officer_needs_a_scheme_of_the_agency_and_the_grant_records_who_gave_it(client):
    admin = SuperuserFactory()
    force_login_verified(client, admin)
    person = UserFactory()
    agency, other_agency = AgencyFactory(), AgencyFactory()
    own, foreign = SchemeFactory(agencies=[agency]), SchemeFactory(agencies=[other_agency], name="Fremmed ordning")

    response = _post_roles(client, person, role="saksbehandler", agency=agency, schemes=[])
    assert response.status_code == 200
    assert "En saksbehandler må ha minst én ordning." in response.text
    response = _post_roles(client, person, role="saksbehandler", agency=agency, schemes=[foreign])
    assert "forvalter ikke: Fremmed ordning" in response.text
    assert not StaffRole.objects.exists()

    response = _post_roles(client, person, role="saksbehandler", agency=agency, schemes=[own])
    assert response.status_code == 302, response.text[:3000]
    role = StaffRole.objects.get()
    assert (role.user, role.granted_by, list(role.schemes.all())) == (person, admin, [own])


def test_a_person_without_admin_access_cannot_grant_roles(client):
    person = UserFactory()
    client.force_login(person)
    response = client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_with_admin_access_but_without_the_user_permission_cannot_grant_themselves_a_role(client):
    """An agency officer with admin access (is_staff) for scheme pages may not edit users: a
    self-served grant is refused and writes nothing; the same post by a superuser succeeds."""
    agency = AgencyFactory()
    scheme = SchemeFactory(agencies=[agency])
    officer = UserFactory(is_staff=True)
    force_login_verified(client, officer)
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"email": officer.email, "staff_roles-TOTAL_FORMS": "1",
                                 "staff_roles-INITIAL_FORMS": "0", "staff_roles-0-role": "administrator",
                                 "staff_roles-0-agency": str(agency.pk)})  # fmt: skip
    assert response.status_code == 403
    assert not StaffRole.objects.exists()

    force_login_verified(client, SuperuserFactory())
    response = _post_roles(client, officer, role="administrator", agency=agency, schemes=[scheme])
    assert response.status_code == 302
    assert StaffRole.objects.get().user == officer


def test_granting_the_administrator_role_opens_the_admin_for_the_person(client):
    force_login_verified(client, SuperuserFactory())
    person = UserFactory(is_staff=False)
    response = _post_roles(client, person, role="administrator", agency=AgencyFactory(), schemes=[])
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_staff
