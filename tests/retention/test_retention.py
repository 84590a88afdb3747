"""The retention rules (issue 18): each kind of data is deleted or anonymised exactly when due —
not a second before — with real files in the private storage, recorded, never twice, and a dry
run that changes nothing. Times are moments computed from the rows, run at a controlled «now»."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application, ApplicationEvent, ApplicationFile
from applications.services import application_file_add, application_file_remove
from applications.workflow import State
from attachments.models import StoredFile
from attachments.storage import private_storage as storage
from organisations.models import Membership
from portal.schedule import PERIODIC_TASKS
from retention.models import RetentionAction, RetentionRun
from retention.services import retention_run
from tests.attachments.files import pdf_bytes
from tests.factories import MembershipFactory, make_application

pytestmark = pytest.mark.django_db(transaction=True)  # files leave the disk after the commit
SECOND = timedelta(seconds=1)


def draft_with_file():
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    Application.objects.filter(pk=application.pk).update(title="Min idé", answers={"sammendrag": "Ola Nordmann"})
    row = application_file_add(
        application_id=application.pk, question_key="prosjektbeskrivelse",
        uploaded_file=SimpleUploadedFile("cv.pdf", pdf_bytes()), by_user=ansvarlig.user,
    )  # fmt: skip
    application.refresh_from_db()
    row.storage_name = row.stored_file.storage_name
    return application, row, ansvarlig.user


def on_disk(row: ApplicationFile) -> bool:
    return storage().exists(row.storage_name)


def test_a_draft_never_submitted_is_anonymised_exactly_a_year_after_the_deadline(private_storage, settings):
    application, row, _user = draft_with_file()
    events = ApplicationEvent.objects.filter(application=application).count()
    due = max(application.updated_at, application.call.closes_at) + timedelta(days=settings.RETENTION_DRAFT_DAYS)
    assert on_disk(row)

    assert retention_run(now=due - SECOND)["draft"] == {"applications": 0, "files": 0}
    assert on_disk(row) and Application.objects.get(pk=application.pk).answers

    counts = retention_run(now=due)

    assert counts["draft"] == {"applications": 1, "files": 1}
    assert not on_disk(row)
    assert not StoredFile.objects.filter(pk=row.stored_file_id).exists()
    stored = Application.objects.get(pk=application.pk)
    assert (stored.title, stored.answers, stored.created_by_id) == ("", {}, None)
    assert ApplicationEvent.objects.filter(application=application).count() == events  # history kept
    run = RetentionRun.objects.latest("started_at")
    assert run.counts["draft"] == {"applications": 1, "files": 1} and run.finished_at
    assert RetentionAction.objects.get().files_deleted == 1
    # Again, and later: nothing twice.
    assert retention_run(now=due + timedelta(days=10))["draft"] == {"applications": 0, "files": 0}


def test_the_dry_run_counts_and_changes_nothing(private_storage, settings):
    application, row, _user = draft_with_file()
    due = max(application.updated_at, application.call.closes_at) + timedelta(days=settings.RETENTION_DRAFT_DAYS)

    assert retention_run(now=due, dry_run=True)["draft"] == {"applications": 1, "files": 1}

    assert on_disk(row) and Application.objects.get(pk=application.pk).answers
    assert not RetentionRun.objects.exists()


def test_the_command_dry_run_prints_what_is_due_and_writes_nothing(private_storage):
    draft_with_file()
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "Tørrkjøring: ingenting endret." in out.getvalue()
    assert "draft: applications 0, files 0" in out.getvalue()
    assert not RetentionRun.objects.exists()


def test_a_file_removed_from_a_draft_is_deleted_thirty_days_after_the_last_change(private_storage, settings):
    application, removed, user = draft_with_file()
    kept = application_file_add(application_id=application.pk, question_key="prosjektbeskrivelse",
                                uploaded_file=SimpleUploadedFile("plan.pdf", pdf_bytes()), by_user=user)  # fmt: skip
    kept.storage_name = kept.stored_file.storage_name
    removed.refresh_from_db()
    removed.storage_name = removed.stored_file.storage_name
    assert removed.attached is False  # replaced: the slot takes one file
    application_file_remove(application_id=application.pk, file_id=kept.pk, by_user=user)
    application_file_add(application_id=application.pk, question_key="prosjektbeskrivelse",
                         uploaded_file=SimpleUploadedFile("ny.pdf", pdf_bytes()), by_user=user)  # fmt: skip
    application.refresh_from_db()
    due = application.updated_at + timedelta(days=settings.RETENTION_REMOVED_FILE_DAYS)

    assert retention_run(now=due - SECOND)["removed-file"] == {"files": 0}
    assert retention_run(now=due)["removed-file"] == {"files": 2}

    assert not on_disk(removed) and not on_disk(kept)
    attached = ApplicationFile.objects.select_related("stored_file").get(application=application)
    assert attached.attached and storage().exists(attached.stored_file.storage_name)


def test_a_withdrawn_application_loses_its_files_and_working_copy_a_year_after_withdrawal(private_storage, settings):
    application, row, _user = draft_with_file()
    withdrawn_at = timezone.now()
    Application.objects.filter(pk=application.pk).update(
        state=State.WITHDRAWN, withdrawn_at=withdrawn_at, submitted_at=withdrawn_at - timedelta(days=3),
        withdrawal_reason="Daglig leder ble syk",
    )  # fmt: skip
    due = withdrawn_at + timedelta(days=settings.RETENTION_WITHDRAWN_DAYS)

    assert retention_run(now=due - SECOND)["withdrawn"]["applications"] == 0
    assert retention_run(now=due)["withdrawn"] == {"applications": 1, "files": 1}

    stored = Application.objects.get(pk=application.pk)
    assert (stored.withdrawal_reason, stored.answers, stored.title) == ("", {}, "Min idé")
    assert not on_disk(row)


def test_a_rejected_application_is_due_from_its_decision_and_a_funded_one_never(private_storage, settings):
    rejected, rejected_file, _ = draft_with_file()
    funded, funded_file, _ = draft_with_file()
    decided_at = timezone.now()
    for application, state in ((rejected, State.REJECTED), (funded, State.APPROVED)):
        Application.objects.filter(pk=application.pk).update(state=state, submitted_at=decided_at - timedelta(days=30))
        ApplicationEvent.objects.create(application=application, kind="decision-confirmed", at=decided_at,
                                        from_state=State.ASSESSED, to_state=state)  # fmt: skip
    due = decided_at + timedelta(days=settings.RETENTION_REJECTED_DAYS)

    assert retention_run(now=due - SECOND)["rejected"]["applications"] == 0
    assert retention_run(now=due + timedelta(days=3650))["rejected"] == {"applications": 1, "files": 1}

    assert not on_disk(rejected_file)
    assert on_disk(funded_file) and Application.objects.get(pk=funded.pk).answers


def test_a_file_shared_with_a_copied_application_stays_on_disk(private_storage, settings):
    application, row, _user = draft_with_file()
    other = make_application()
    ApplicationFile.objects.create(application=other, stored_file=row.stored_file, question_key="prosjektbeskrivelse")
    due = max(application.updated_at, application.call.closes_at) + timedelta(days=settings.RETENTION_DRAFT_DAYS)
    Application.objects.filter(pk=other.pk).update(updated_at=due)  # the copy was changed later: not due yet

    assert retention_run(now=due)["draft"] == {"applications": 1, "files": 0}
    assert on_disk(row)
    assert ApplicationFile.objects.filter(application=other, stored_file=row.stored_file).exists()


def test_beat_runs_the_rules_every_hour():
    assert PERIODIC_TASKS["Bevaringsregler hver time"] == ("retention.run", 3600)


def test_admins_see_what_each_run_did_and_cannot_change_it(client):
    from django.urls import reverse

    from tests.factories import UserFactory
    from tests.html import visible_text
    from tests.otp import force_login_verified

    retention_run(now=timezone.now())
    url = reverse("admin:retention_retentionrun_changelist")
    applicant = UserFactory()
    client.force_login(applicant)
    assert client.get(url).status_code == 302  # to the admin's login: not for applicants
    force_login_verified(client, UserFactory(is_staff=True, is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200
    assert "removed-file" in visible_text(response)
    run = RetentionRun.objects.get()
    assert (
        client.post(reverse("admin:retention_retentionrun_delete", args=[run.pk]), {"post": "yes"}).status_code == 403
    )
    assert RetentionRun.objects.filter(pk=run.pk).exists()


def test_login_records_are_deleted_after_their_period_and_counted_on_a_dry_run(settings):
    from axes.models import AccessFailureLog, AccessLog

    now = timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_LOGIN_LOG_DAYS)
    for model in (AccessLog, AccessFailureLog):
        old, recent = model.objects.create(username="kari@example.no"), model.objects.create(username="ola@example.no")
        model.objects.filter(pk=old.pk).update(attempt_time=cutoff - timedelta(seconds=1))
        model.objects.filter(pk=recent.pk).update(attempt_time=cutoff)

    assert retention_run(now=now, dry_run=True)["login-log"] == {"rows": 2}
    assert AccessLog.objects.count() == AccessFailureLog.objects.count() == 2

    assert retention_run(now=now)["login-log"] == {"rows": 2}
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["ola@example.no"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["ola@example.no"]
    assert retention_run(now=now)["login-log"] == {"rows": 0}
