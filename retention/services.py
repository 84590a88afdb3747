"""Carry out the retention rules (retention/rules.py) and record what was done."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from applications.models import Application, ApplicationFile
from attachments.services import file_delete

from .models import RetentionAction, RetentionRun
from .rules import RULES, Rule, removed_files_due

logger = logging.getLogger(__name__)


def retention_run(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, dict[str, int]]:
    """Apply every rule that is due at ``now``; returns the counts per rule. With ``dry_run``
    nothing is changed or recorded: the counts say what a run would do. Safe to run twice or
    from two workers: each application is locked and checked again before anything is done, and
    each rule is carried out once per application (``RetentionAction``'s unique key)."""
    now = now or timezone.now()
    counts: dict[str, dict[str, int]] = {}
    run = None if dry_run else RetentionRun.objects.create(started_at=now)
    for rule in RULES:
        ids = list(rule.due(now=now).order_by("pk").values_list("pk", flat=True))
        if dry_run:
            files = ApplicationFile.objects.filter(application_id__in=ids).count()
            counts[rule.name] = {"applications": len(ids), "files": files}
            continue
        done = [_carry_out(rule, application_id=pk, run=run, now=now) for pk in ids]
        done = [files for files in done if files is not None]
        counts[rule.name] = {"applications": len(done), "files": sum(done)}
    removed = list(removed_files_due(now=now).select_related("stored_file"))
    counts["removed-file"] = {"files": len(removed) if dry_run else sum(_delete_files(removed))}
    counts["login-log"] = {"rows": _login_records_expire(now=now, dry_run=dry_run)}
    if run is not None:
        RetentionRun.objects.filter(pk=run.pk).update(counts=counts, finished_at=timezone.now())
        logger.info("retention run %s: %s", run.pk, counts)
    return counts


def _login_records_expire(*, now: datetime, dry_run: bool) -> int:
    """django-axes' records of logins and failed logins older than RETENTION_LOGIN_LOG_DAYS: deleted
    (counted only, on a dry run). The lockout counters (AccessAttempt) expire by axes' own cool-off."""
    from axes.models import AccessFailureLog, AccessLog

    cutoff = now - timedelta(days=settings.RETENTION_LOGIN_LOG_DAYS)
    old = [model.objects.filter(attempt_time__lt=cutoff) for model in (AccessLog, AccessFailureLog)]
    if dry_run:
        return sum(rows.count() for rows in old)
    return sum(rows.delete()[0] for rows in old)


def _carry_out(rule: Rule, *, application_id: int, run: RetentionRun, now: datetime) -> int | None:
    """Files deleted, or None when the application was no longer due (changed since the query)."""
    with transaction.atomic():
        if not rule.due(now=now).filter(pk=application_id).select_for_update(of=("self",)).exists():
            return None
        files = list(ApplicationFile.objects.filter(application_id=application_id).select_related("stored_file"))
        deleted = sum(_delete_files(files))
        if rule.clear_working_copy:
            fields = {"answers": {}, "pending_input": {}, "justifications": {}, "withdrawal_reason": "",
                      "created_by": None, "updated_by": None}  # fmt: skip
            if rule.name == "draft":
                fields["title"] = ""  # a submitted case keeps its title for statistics and the archive
            Application.objects.filter(pk=application_id).update(**fields)
        RetentionAction.objects.create(run=run, rule=rule.name, application_id=application_id,
                                       files_deleted=deleted, at=now)  # fmt: skip
    return deleted


def _delete_files(rows: list[ApplicationFile]):
    """Delete each row, and its stored file (row now, disk after commit) unless another
    application still refers to it (a copied application shares its files). Yields 1 per file
    deleted from disk."""
    for row in rows:
        stored = row.stored_file
        with transaction.atomic():
            row.delete()
            if ApplicationFile.objects.filter(stored_file=stored).exists():
                yield 0
                continue
            try:
                with transaction.atomic():
                    file_delete(stored_file=stored)
            except ProtectedError:
                logger.warning("retention kept file %s: something else refers to it", stored.pk)
                yield 0
                continue
        yield 1
