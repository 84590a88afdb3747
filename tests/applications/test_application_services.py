"""The application services end to end, without pages: draft → save → partners → budget → submit."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from applications.models import Application, ApplicationEvent, ApplicationVersion, EventKind
from applications.services import (
    ApplicationError,
    SubmissionRefused,
    application_reopen,
    application_section_save,
    application_submit,
    application_withdraw,
    submission_check,
)
from applications.workflow import State
from organisations.models import Membership
from scheduling.models import ScheduledEffect
from tests.applications.helpers import complete_application
from tests.factories import MembershipFactory, make_application

pytestmark = pytest.mark.django_db


def post(data: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in data.items():
        q.setlist(key, value if isinstance(value, list) else [value])
    return q


def complete(application, user):
    complete_application(application, user)


def test_a_whole_application_is_submitted_once_with_a_reference_and_a_frozen_version(private_storage):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    complete(application, ansvarlig.user)
    application.refresh_from_db()
    assert application.title == "Digital tilsynsassistent"
    assert submission_check(application).items == []
    version = application_submit(application_id=application.pk, by_user=ansvarlig.user, now=timezone.now())
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    year = timezone.localtime(application.call.closes_at).year
    assert application.reference == f"{year}-{application.call.scheme.code_for_references}-00001"
    assert version.content["answers"]["tittel"] == "Digital tilsynsassistent"
    assert version.content["attachments"][0]["sha256"]
    assert version.content["partners"][0]["role"] == "research-partner"
    assert ScheduledEffect.objects.filter(kind="application-receipt").count() == 1
    with pytest.raises(SubmissionRefused):
        application_submit(application_id=application.pk, by_user=ansvarlig.user, now=timezone.now())
    assert ApplicationVersion.objects.count() == 1
    application_reopen(application_id=application.pk, by_user=ansvarlig.user, now=timezone.now())
    version2 = application_submit(application_id=application.pk, by_user=ansvarlig.user, now=timezone.now())
    assert version2.number == 2
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds[0] == EventKind.CREATED and kinds[-3:] == [
        EventKind.SUBMITTED,
        EventKind.REOPENED,
        EventKind.RESUBMITTED,
    ]
    application_withdraw(application_id=application.pk, by_user=ansvarlig.user, reason="Feil utlysning")
    assert Application.objects.get(pk=application.pk).state == State.WITHDRAWN


def test_a_late_submit_names_the_deadline_and_writes_nothing(private_storage):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    complete(application, ansvarlig.user)
    late = application.deadline + timedelta(seconds=1)
    with pytest.raises(SubmissionRefused) as refused:
        application_submit(application_id=application.pk, by_user=ansvarlig.user, now=late)
    assert refused.value.code == "late"
    assert timezone.localtime(application.deadline).strftime("%d.%m.%Y kl. %H:%M:%S") in refused.value.message
    assert not ApplicationVersion.objects.exists()
    early = application.deadline - timedelta(seconds=1)
    assert application_submit(application_id=application.pk, by_user=ansvarlig.user, now=early).number == 1


def test_a_member_cannot_submit_and_a_colleagues_save_in_between_is_a_conflict():
    member = MembershipFactory()
    colleague = MembershipFactory(organisation=member.organisation)
    application = make_application(organisation=member.organisation, by_user=member.user)
    with pytest.raises(SubmissionRefused) as refused:
        application_submit(application_id=application.pk, by_user=member.user, now=timezone.now())
    assert refused.value.code == "forbidden"
    first = application_section_save(
        application_id=application.pk,
        section_key="om-prosjektet",
        data=post({"tittel": "Min tittel"}),
        base_version=0,
        by_user=member.user,
    )
    assert first.version == 1
    second = application_section_save(
        application_id=application.pk,
        section_key="om-prosjektet",
        data=post({"tittel": "Kollegas tittel"}),
        base_version=0,
        by_user=colleague.user,
    )
    assert second.conflict and second.theirs["tittel"] == "Min tittel"
    assert Application.objects.get(pk=application.pk).answers["tittel"] == "Min tittel"


def test_a_rejected_field_keeps_what_was_typed_and_the_valid_ones_are_saved():
    member = MembershipFactory()
    application = make_application(organisation=member.organisation, by_user=member.user)
    result = application_section_save(
        application_id=application.pk,
        section_key="om-prosjektet",
        data=post({"tittel": "Tittel", "varighet": "mange"}),
        base_version=0,
        by_user=member.user,
    )
    assert result.rejected == ["varighet"]
    application.refresh_from_db()
    assert application.answers["tittel"] == "Tittel" and application.pending_input == {"varighet": "mange"}
    kinds = [item.kind for item in submission_check(application).items if item.question_key == "varighet"]
    assert kinds == ["unsaved"]


def test_nobody_outside_the_organisation_can_save():
    application = make_application()
    stranger = MembershipFactory().user
    with pytest.raises(ApplicationError):
        application_section_save(
            application_id=application.pk,
            section_key="om-prosjektet",
            data=post({"tittel": "x"}),
            base_version=0,
            by_user=stranger,
        )
    assert ApplicationEvent.objects.filter(kind=EventKind.SAVED).count() == 0


def test_the_timeline_and_versions_cannot_be_changed_or_deleted_through_the_orm():
    application = make_application()
    event = application.events.get()
    event.kind = EventKind.SUBMITTED
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        application.events.update(kind=EventKind.SUBMITTED)
    with pytest.raises(PermissionError):
        ApplicationEvent.objects.filter(application=application).delete()
    assert application.events.get().kind == EventKind.CREATED


def test_the_admin_shows_applications_and_changes_nothing(client):
    from tests.factories import SuperuserFactory
    from tests.otp import force_login_verified

    force_login_verified(client, SuperuserFactory())
    admin_client = client
    application = make_application()
    url = f"/admin/applications/application/{application.pk}/change/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert admin_client.post(url, {"title": "Endret"}).status_code == 403
    assert admin_client.post(f"/admin/applications/application/{application.pk}/delete/").status_code == 403
    assert Application.objects.get(pk=application.pk).title == ""


def test_the_same_creation_key_twice_gives_one_application():
    import uuid

    from applications.services import application_create

    member = MembershipFactory()
    first = make_application(organisation=member.organisation, by_user=member.user)
    key = uuid.uuid4()
    a = application_create(call=first.call, organisation=member.organisation, by_user=member.user, creation_key=key)
    b = application_create(call=first.call, organisation=member.organisation, by_user=member.user, creation_key=key)
    assert a == b and Application.objects.filter(creation_key=key).count() == 1


def test_staff_read_applications_and_their_files_only_in_a_session_verified_by_two_factor(client, settings, tmp_path):
    """An officer who logged in with the password alone (no device yet, or the code step skipped)
    cannot download an application's attachment; the same officer verified can."""
    from applications.models import ApplicationFile
    from tests.factories import AgencyFactory, SchemeFactory, StaffRoleFactory, call_with_form
    from tests.otp import force_login_verified

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }
    agency = AgencyFactory()
    scheme = SchemeFactory(agencies=[agency])
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user,
                                   call=call_with_form(scheme=scheme))  # fmt: skip
    complete_application(application, ansvarlig.user)
    application_submit(application_id=application.pk, by_user=ansvarlig.user, now=timezone.now())
    officer = StaffRoleFactory(agency=agency, schemes=[scheme]).user
    file_url = f"/vedlegg/{ApplicationFile.objects.get(application=application).stored_file_id}/"
    client.force_login(officer)
    assert client.get(file_url).status_code == 404
    force_login_verified(client, officer)
    assert client.get(file_url).status_code == 200
