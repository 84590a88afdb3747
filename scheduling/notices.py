"""Notices in bulk, e-mailed in batches (README, "Deadlines and the scheduler").

A deadline can concern 100 000 people at once (a reminder to everyone with an open draft). Doing that
one person at a time — a scheduler row, a task, a transaction, a template render and an SMTP
connection each — is far too slow, so:

1. **Created in bulk.** The notices (``Notice``, one per person and cause, its unique ``key`` the
   per-recipient exactly-once record) are written by one ``INSERT … SELECT … ON CONFLICT DO NOTHING
   RETURNING id`` (``notices_insert``), the same on PostgreSQL and SQLite: a rerun inserts nothing.
   They are inserted in the order of the applications, so a batch is a run of neighbouring ones.
2. **Batched.** The new notices' ids are split into batches of ``MAIL_BATCH``; each batch is one
   scheduler row (``notice-mail:…``), claimed and run exactly once by the engine like any other.
3. **Sent over one connection per batch.** The batch's templates are loaded once and rendered once
   per language, each recipient's values put into that text (``portal.mailbatch.BatchRenderer``);
   with Django's SMTP backend the messages are built as bytes (``WireMessages``) and go one after
   the other over ONE SMTP connection (any other backend gets ``EmailMessage`` objects). A notice
   is marked ``emailed_at`` in the batch's transaction once its message has been handed over; a
   notice already marked is never sent again.
4. **A failed batch retries only what was not sent.** When the mail server fails part-way, the
   batch stops, marks what was sent, and arms a new row with only the rest (due after the engine's
   backoff); the row itself is done. The messages before the failure are not sent again.

The one window where a mail can go twice is the engine's (README): the worker dies after the mail
server accepted messages but before the batch's transaction committed; the row is then reclaimed
and the batch (at most ``MAIL_BATCH`` messages) sent again. Nothing is ever lost.
"""

import contextlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connections
from django.utils import timezone

from applications.models import Application
from portal import mailbatch
from portal.emails import TemplatedEmail
from portal.mailbatch import BatchRenderer, WireMessages
from schemes.models import Call, CallStage

from .engine import backoff, effects_arm_many, max_attempts
from .models import EffectState, Notice, ScheduledEffect

logger = logging.getLogger(__name__)

NOTICE_MAIL = "notice-mail"
MAIL_BATCH = 500


@dataclass(frozen=True)
class NoticeMail:
    """How one kind of notice is e-mailed: its templates and the context of each message.
    ``context`` gets the batch's notices (with ``call``, ``application`` and ``user`` fetched) and
    returns, per notice id, the context of its message, or None when it should not be sent after
    all (the application was submitted in the meantime)."""

    template_prefix: str
    context: Callable[[list[Notice], datetime], dict[int, dict | None]]
    # The context's names that differ per recipient and are only printed as they are: the templates
    # are rendered once per language for the rest (``portal.mailbatch``). None: per recipient.
    slots: tuple[str, ...] = ()


MAILS: dict[str, NoticeMail] = {}


def notice_mail_register(kind: str, mail: NoticeMail) -> None:
    MAILS[kind] = mail


def notices_insert(*, recipients_sql: str, recipients_params, using: str, kind: str, key: str, call_id: int,
                   data: dict, now: datetime) -> list[int]:  # fmt: skip
    """Insert one notice per row of ``recipients_sql`` (columns: application id, user id) in one
    set-based statement; a key that exists already is skipped. ``key`` is the notices' key, with
    ``{application}`` and ``{user}`` for the row's columns. Returns the ids of the notices inserted now."""
    connection = connections[using]
    qn = connection.ops.quote_name
    meta = Notice._meta
    columns = ", ".join(
        qn(meta.get_field(f).column)
        for f in ("user", "kind", "key", "call", "application", "data", "created_at", "emailed_at")
    )
    key_sql, key_params = _key_sql(key)
    data_sql = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    # "WHERE true": SQLite's parser needs it between a SELECT and ON CONFLICT (its documentation).
    sql = (
        f"WITH r(application_id, user_id) AS ({recipients_sql}) "  # noqa: S608 - names from the models; values as parameters
        f"INSERT INTO {qn(meta.db_table)} ({columns}) "
        f"SELECT r.user_id, %s, {key_sql}, %s, r.application_id, {data_sql}, %s, NULL FROM r "
        "WHERE true ORDER BY r.application_id, r.user_id "
        f"ON CONFLICT ({qn(meta.get_field('key').column)}) DO NOTHING RETURNING {qn(meta.pk.column)}"
    )
    params = [*recipients_params, kind, *key_params, call_id, json.dumps(data),
              connection.ops.adapt_datetimefield_value(now)]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def _key_sql(key: str) -> tuple[str, list[str]]:
    """``key`` as SQL: its text as parameters, ``{application}`` and ``{user}`` as the recipient's
    columns (a key without them names one cause and one person already, e.g. a reviewer's)."""
    parts = re.split(r"\{(application|user)\}", key)
    sql, params = [], []
    for i, part in enumerate(parts):
        if i % 2:
            sql.append(f"CAST(r.{part}_id AS VARCHAR(20))")
        elif part:
            sql.append("%s")
            params.append(part)
    return " || ".join(sql) or "''", params


def notice_mail_arm(*, notice_ids: list[int], key: str, now: datetime) -> int:
    """One ``notice-mail`` row per ``MAIL_BATCH`` notices, keyed by ``key`` and the batch's first
    notice (once per batch, whatever reruns do). Returns how many rows were armed."""
    rows = [
        ScheduledEffect(kind=NOTICE_MAIL, key=f"{NOTICE_MAIL}:{key}:{batch[0]}", due_at=now, target_type="notice",
                        target_id=batch[0], payload={"notices": batch})
        for batch in (notice_ids[i : i + MAIL_BATCH] for i in range(0, len(notice_ids), MAIL_BATCH))
    ]  # fmt: skip
    return effects_arm_many(rows=rows) if rows else 0


# An application's fields a notice's e-mail may use (any other is read with a query of its own).
APPLICATION_FIELDS = ("id", "reference", "title", "state", "organisation", "call", "stage", "created_by")


def _batch_notices(ids: list[int]) -> list[Notice]:
    """The batch's notices not e-mailed yet, with their person, call and application: four queries,
    and each call (with its scheme) and stage one shared object, not one per notice (building model
    objects was a good part of a batch's time). The person has only what the messages need."""
    notices = list(
        Notice.objects.filter(pk__in=ids, emailed_at__isnull=True)
        .select_related("user")
        .only(*(f for f in ("id", "user", "kind", "key", "call", "application", "data", "created_at", "emailed_at")),
              "user__email", "user__language", "user__is_active")
        .order_by("pk")
    )  # fmt: skip
    application_ids = {n.application_id for n in notices if n.application_id}
    applications = (
        Application.objects.filter(pk__in=application_ids).select_related("organisation")
        # What the messages show and their contexts check; not the form and answers, which can be large.
        .only(*APPLICATION_FIELDS, "organisation__name").in_bulk()
    )  # fmt: skip
    call_ids = {n.call_id for n in notices} | {a.call_id for a in applications.values()}
    calls = Call.objects.select_related("scheme").in_bulk(call_ids - {None})
    stages = CallStage.objects.in_bulk({a.stage_id for a in applications.values()} - {None})
    for application in applications.values():
        application.call = calls[application.call_id]
        application.stage = stages.get(application.stage_id)
    for notice in notices:
        notice.call = calls.get(notice.call_id)
        notice.application = applications.get(notice.application_id)
    return notices


@dataclass
class BatchResult:
    sent: int = 0
    skipped: int = 0  # already e-mailed, no address, or no longer to be sent
    unsent: int = 0  # left for the retry row after a failure


def notice_mail_send(*, effect: ScheduledEffect, now: datetime | None = None) -> BatchResult:
    """Send the batch's notices that have not been e-mailed, over one connection (see the module).
    Runs inside the engine's guarded transaction; never raises for a mail failure: it arms the
    retry row itself, so that what was sent stays marked as sent."""
    now = now or timezone.now()
    result = BatchResult()
    ids = effect.payload["notices"]
    notices = _batch_notices(ids)
    result.skipped = len(ids) - len(notices)
    by_kind: dict[str, list[Notice]] = {}
    for notice in notices:
        if notice.user.email and notice.user.is_active:
            by_kind.setdefault(notice.kind, []).append(notice)
        else:
            result.skipped += 1
    connection = mailers.default  # a new backend instance: one connection for the batch
    # Django's SMTP backend: the messages as prebuilt bytes, over its connection. Any other backend
    # (locmem in the tests, console, a subclass that changes how a message is sent, e.g. to sign
    # it): EmailMessage objects, as ``send_templated_email`` makes them.
    smtp = isinstance(connection, SMTPBackend) and all(
        getattr(type(connection), name) is getattr(SMTPBackend, name) for name in ("send_messages", "_send")
    )
    wire = WireMessages(connection) if smtp else None
    todo: list[tuple[Notice, bytes | EmailMessage]] = []
    for kind, group in by_kind.items():
        mail = MAILS[kind]
        templates = TemplatedEmail(mail.template_prefix)  # one template load per batch and kind
        contexts = mail.context(group, now)
        wanted = []
        for notice in group:
            context = contexts.get(notice.pk)
            if context is None:
                result.skipped += 1
            else:
                wanted.append((notice, {**context, "user": notice.user}))
        if templates.html is not None:  # with an HTML alternative: Django builds the message
            todo.extend((notice, templates.message(to_email=notice.user.email, language=notice.user.language,
                                                   context=context)) for notice, context in wanted)  # fmt: skip
            continue
        rendered = BatchRenderer(templates, mail.slots).render([(n.user.language, c) for n, c in wanted])
        for (notice, _context), (language, subject, body) in zip(wanted, rendered, strict=True):
            to = notice.user.email
            raw = wire.build(language=language, subject=subject, body=body, to=to) if wire else None
            todo.append((notice, raw or mailbatch.message(language=language, subject=subject, body=body, to=to)))
    sent: list[int] = []
    failure = None
    if todo:
        try:
            connection.open()
            for notice, message in todo:
                if isinstance(message, bytes):
                    wire.send(connection.connection, notice.user.email, message)
                else:
                    connection.send_messages([message])
                sent.append(notice.pk)
        except Exception as exc:  # noqa: BLE001 - any failure of the mail server: retry the rest
            failure = exc
        finally:
            with contextlib.suppress(Exception):  # closing a broken connection: nothing to do
                connection.close()
    if sent:
        Notice.objects.filter(pk__in=sent).update(emailed_at=now)
    result.sent = len(sent)
    if failure is not None:
        rest = [notice.pk for notice, _message in todo[len(sent) :]]
        result.unsent = len(rest)
        attempt = effect.payload.get("attempt", 1)
        logger.warning("notice batch %s: %s sent, %s left for a retry: %s", effect.key, len(sent), len(rest), failure)
        # After the last attempt the rest's row is written as failed: an officer's retry
        # (``engine.effect_retry``) sends only the rest then, too.
        last = attempt >= max_attempts()
        base = effect.key.split(":retry-")[0]
        effects_arm_many(rows=[ScheduledEffect(
            kind=NOTICE_MAIL, key=f"{base}:retry-{attempt}", due_at=now + backoff(attempt), target_type="notice",
            target_id=rest[0], payload={"notices": rest, "attempt": attempt + 1},
            failure_reason=f"{type(failure).__name__}: {failure}"[:2000],
            state=EffectState.FAILED if last else EffectState.PENDING, failed_at=now if last else None,
        )])  # fmt: skip
    return result
