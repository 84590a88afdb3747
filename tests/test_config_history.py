"""Configuration keeps a history of who changed what and when (django-simple-history): calls,
stages, criteria, call forms, staff roles and review settings, changed in the admin or by a
service; the admin's «Historikk» shows each change as «field: old → new» to the agency's
administrators, and to nobody else."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import StaffRole
from applications.models import CallForm, empty_definition
from applications.services import call_form_save
from review.models import ReviewSettings
from schemes.models import AssessmentCriterion, Call, CallStage
from tests.accounts.test_staff_roles_admin import _post_roles
from tests.factories import (
    AgencyFactory,
    AssessmentCriterionFactory,
    CallFactory,
    SchemeFactory,
    StaffRoleFactory,
    SuperuserFactory,
    UserFactory,
)
from tests.html import visible_text
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    agency, other_agency = AgencyFactory(), AgencyFactory()
    scheme = SchemeFactory(agencies=[agency])
    administrator = StaffRoleFactory(agency=agency, role=StaffRole.Role.ADMINISTRATOR).user
    administrator.full_name = "Astrid Administrator"
    administrator.is_staff = True
    administrator.save()
    administrator.user_permissions.set(
        Permission.objects.filter(codename__in=["view_call", "change_call", "view_reviewsettings",
                                                "change_reviewsettings"])
    )  # fmt: skip
    other_administrator = StaffRoleFactory(agency=other_agency, role=StaffRole.Role.ADMINISTRATOR).user
    other_administrator.is_staff = True
    other_administrator.save()
    other_administrator.user_permissions.set(administrator.user_permissions.all())
    call = CallFactory(scheme=scheme)
    return {"call": call, "administrator": administrator, "other_administrator": other_administrator}


def _post_settings(client, settings, **changes):
    url = reverse("admin:review_reviewsettings_change", args=[settings.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, bool)}
    data.update({k: "on" for k, v in form.initial.items() if v is True})
    data.update(changes)
    return client.post(url, data)


def test_a_change_in_the_admin_records_who_and_what_and_the_history_page_shows_it(client, world):
    settings = ReviewSettings.objects.create(call=world["call"], appeal_weeks=3)
    force_login_verified(client, world["administrator"])
    response = _post_settings(client, settings, appeal_weeks="4")
    assert response.status_code == 302, response.text[:2000]

    latest = settings.history.first()
    assert (latest.history_type, latest.history_user, latest.appeal_weeks) == ("~", world["administrator"], 4)
    page = client.get(reverse("admin:review_reviewsettings_history", args=[settings.pk]))
    assert page.status_code == 200
    text = visible_text(page)
    assert "Klagefrist (uker): 3 → 4" in text
    assert "Astrid Administrator" in text or world["administrator"].email in text
    assert "None" not in text


def test_the_call_history_shows_its_stages_criteria_and_settings_deleted_rows_included(client, world):
    call = world["call"]
    criterion = AssessmentCriterionFactory(call=call, name="Effekt", weight=50)
    criterion._history_user = world["administrator"]
    criterion.name = "Virkninger og effekter"
    criterion.save()
    stage = CallStage.objects.create(call=call, order=1, kind="sketch")
    stage.delete()
    force_login_verified(client, world["administrator"])
    page = client.get(reverse("admin:schemes_call_history", args=[call.pk]))
    assert page.status_code == 200
    text = visible_text(page)
    assert "Navn (bokmål): Effekt → Virkninger og effekter" in text
    assert str(AssessmentCriterion._meta.verbose_name_plural).capitalize() in text
    assert "Slettet" in text or "Deleted" in text  # the stage's deletion


def test_only_the_agencys_administrators_see_a_calls_history(client, world):
    call = world["call"]
    url = reverse("admin:schemes_call_history", args=[call.pk])
    force_login_verified(client, world["other_administrator"])
    assert client.get(url).status_code == 404
    officer = StaffRoleFactory(agency=call.scheme.agencies.get(), schemes=[call.scheme]).user
    client.logout()
    force_login_verified(client, officer)
    assert client.get(url).status_code in (302, 403)  # no admin access at all
    client.logout()
    force_login_verified(client, world["administrator"])
    assert client.get(url).status_code == 200
    client.logout()
    force_login_verified(client, SuperuserFactory())
    assert client.get(url).status_code == 200


def test_a_service_records_its_user_outside_any_request(world):
    call, administrator = world["call"], world["administrator"]
    call_form_save(call=call, definition=empty_definition(), by_user=administrator)
    form = CallForm.objects.get(call=call)
    assert [(r.history_type, r.history_user) for r in form.history.all()] == [("+", administrator)]


def test_a_granted_staff_role_and_its_schemes_are_in_the_persons_history(client):
    admin = SuperuserFactory()
    force_login_verified(client, admin)
    person = UserFactory()
    agency = AgencyFactory()
    scheme = SchemeFactory(agencies=[agency], name="Ordning A")
    assert _post_roles(client, person, role="saksbehandler", agency=agency, schemes=[scheme]).status_code == 302
    role = StaffRole.objects.get(user=person)
    record = role.history.latest()
    assert record.history_user == admin
    assert [s.scheme_id for s in record.schemes.all()] == [scheme.pk]  # the m2m, as it was then
    page = client.get(reverse("admin:accounts_user_history", args=[person.pk]))
    assert page.status_code == 200
    assert str(StaffRole._meta.verbose_name_plural).capitalize() in visible_text(page)


def test_calls_keep_history_when_saved(world):
    call = Call.objects.get(pk=world["call"].pk)
    call._history_user = world["administrator"]
    call.title = "Ny tittel"
    call.save()
    assert call.history.latest().history_user == world["administrator"]
    assert call.history.latest().title == "Ny tittel"
