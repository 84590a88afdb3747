"""Starting, saving and copying applications.

Every write locks the application row first (``common.lock_application``). A section's save carries
the version it was based on: a different version on the row means a colleague saved the section in
between, and nothing is written (the caller shows the conflict; the typed data is still in the form).
"""

import functools
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.control_characters import without_control_characters
from schemes.models import Call, CallStatus

from ..formdef import FormDefinition, SectionForm, applicable_keys, section_form_class
from ..models import Application, ApplicationFile, ApplicationPartner, EventKind
from ..permissions import can_start_application
from ..selectors import call_form_for, definition_snapshot
from .common import (
    ApplicationError,
    condition_facts,
    display_name,
    event_record,
    lock_application,
    moment,
    require_editable,
    saved_event_record,
    touch,
)

TITLE_KEYS = ("tittel", "prosjekttittel", "title")


def _title_from(definition: FormDefinition, answers: dict) -> str:
    for key in TITLE_KEYS:
        if isinstance(answers.get(key), str) and answers[key].strip():
            return answers[key].strip()[:200]
    for _section, question in definition.questions():
        if question.type.key == "short-text" and isinstance(answers.get(question.key), str):
            return answers[question.key].strip()[:200]
    return ""


def definition_of(application: Application) -> FormDefinition:
    """The application's own copy of its form, read. Reading a form is the costly part of every
    check (each question's parameters go through their form); the result is immutable (frozen
    dataclasses), so each process reads each distinct definition once. The key is the canonical
    JSON itself, not the stored ``sha256``, so a copy changed in place is read afresh."""
    canonical = json.dumps(application.form["definition"], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return _definition_read(canonical)


@functools.lru_cache(maxsize=256)
def _definition_read(canonical: str) -> FormDefinition:
    return FormDefinition.from_json(json.loads(canonical))


def _check_call_accepts_drafts(call: Call, stage, *, now: datetime) -> None:
    status = call.status(now=now)
    deadline = stage.closes_at if stage is not None and stage.closes_at else call.closes_at
    if now > deadline:
        raise ApplicationError(
            _("Fristen var %(deadline)s. Det kan ikke lages nye søknader til utlysningen.")
            % {"deadline": moment(deadline)},
            code="late",
        )
    if status == CallStatus.UPCOMING and not call.allows_early_drafts:
        raise ApplicationError(
            _("Utlysningen åpner %(opens)s. Du kan begynne på en søknad da.") % {"opens": moment(call.opens_at)},
            code="not-open",
        )


def application_create(
    *, call: Call, organisation, by_user, stage=None, creation_key: uuid.UUID | None = None, now: datetime | None = None
) -> Application:
    """A new draft for ``organisation`` in ``call`` (in ``stage``, for a call with stages), with its own
    copy of the call's form. ``creation_key`` comes from the page that offered the button: the same
    key twice (a double click, a resent form) gives the same application, not a duplicate."""
    now = now or timezone.now()
    if not can_start_application(by_user, organisation):
        raise ApplicationError(_("Du er ikke medlem av %(org)s.") % {"org": organisation.name}, code="forbidden")
    if creation_key is not None:
        existing = Application.objects.filter(creation_key=creation_key).first()
        if existing is not None:
            if existing.organisation_id != organisation.pk or existing.created_by_id != by_user.pk:
                raise ApplicationError(_("Skjemaet er brukt før. Last siden på nytt."), code="key")
            return existing
    if stage is None and call.stages.exists():
        raise ApplicationError(_("Velg hvilket trinn søknaden gjelder."), code="stage")
    if stage is not None and stage.call_id != call.pk:
        raise ApplicationError(_("Trinnet hører til en annen utlysning."), code="stage")
    _check_call_accepts_drafts(call, stage, now=now)
    call_form = call_form_for(call=call, stage=stage)
    if call_form is None:
        raise ApplicationError(
            _("Søknadsskjemaet for utlysningen er ikke klart ennå. Prøv igjen senere."), code="no-form"
        )
    try:
        with transaction.atomic():
            application = Application(
                call=call, stage=stage, organisation=organisation, form=definition_snapshot(call_form),
                created_by=by_user, updated_by=by_user, created_at=now, updated_at=now, creation_key=creation_key,
            )  # fmt: skip
            application.full_clean(exclude=["form", "answers", "pending_input", "sections", "creation_key"])
            application.save()
            event_record(application, EventKind.CREATED, actor=by_user, to_state=application.state, at=now)
    except IntegrityError:
        # The same creation key from two requests at once (a double click): the other one won.
        existing = Application.objects.filter(creation_key=creation_key).first() if creation_key else None
        if existing is None:
            raise
        return existing
    return application


# --- Saving a section ---------------------------------------------------------------------------
def raw_value(data, key: str, form: SectionForm) -> Any:
    """What was posted for ``key``, as it was typed (a list for fields that take several values),
    without control characters: they are why such a field is refused, and jsonb cannot hold a NUL."""
    widget = form.fields[key].widget
    if getattr(widget, "allow_multiple_selected", False) and hasattr(data, "getlist"):
        return without_control_characters(data.getlist(key))
    return without_control_characters(data.get(key, ""))


@dataclass
class SectionSave:
    """What a section save did. ``form`` is bound to what was posted (its errors are the rejected
    fields, whose typed values are kept in ``pending_input``)."""

    form: SectionForm
    version: int
    conflict: bool = False
    changed: bool = False
    saved_at: datetime | None = None
    saved_by: str = ""
    theirs: dict[str, Any] = field(default_factory=dict)  # on conflict: the answers now stored

    @property
    def rejected(self) -> list[str]:
        return list(self.form.errors)


def application_section_save(
    *, application_id: int, section_key: str, data, base_version: int, by_user, now: datetime | None = None
) -> SectionSave:
    """Save one section's answers. Valid fields are stored; a rejected field's typed value is kept
    in ``pending_input`` with the answer before it unchanged. If the section was saved by someone
    else since ``base_version``, nothing is written and ``conflict`` is set."""
    now = now or timezone.now()
    with transaction.atomic():
        application = lock_application(application_id)
        require_editable(application, user=by_user, now=now)
        definition = definition_of(application)
        try:
            section = definition.section(section_key)
        except StopIteration:
            raise ApplicationError(_("Søknaden har ingen slik del."), code="no-section") from None
        form_class = section_form_class(section)
        form = form_class.from_answers(application.answers, data=data, draft=True)
        form.is_valid()
        current = application.section_version(section_key)
        info = application.sections.get(section_key) or {}
        if int(base_version) != current:
            theirs = {key: application.answers.get(key) for key in form.questions}
            return SectionSave(
                form=form,
                version=current,
                conflict=True,
                saved_by=info.get("by", ""),
                saved_at=_parse_moment(info.get("at")),
                theirs=theirs,
            )
        answers, pending = dict(application.answers), dict(application.pending_input)
        for key, question in form.questions.items():
            if key not in form.errors:
                answers[key] = question.type.answer_from_cleaned(question, form.cleaned_data.get(key))
        # A question whose condition does not hold now is not checked: a value it would reject is
        # dropped (the stored answer stays in the draft), and it is shown hidden.
        applies = applicable_keys(definition, answers, condition_facts(application, definition))
        form.hide(key for key in form.questions if key not in applies)
        for key in form.questions:
            if key in form.errors:
                pending[key] = raw_value(data, key, form)
            else:
                pending.pop(key, None)
        if answers == application.answers and pending == application.pending_input:
            return SectionSave(
                form=form, version=current, saved_by=info.get("by", ""), saved_at=_parse_moment(info.get("at"))
            )
        version = current + 1
        application.answers, application.pending_input = answers, pending
        application.sections = {
            **application.sections,
            section_key: {"v": version, "at": now.isoformat(), "by": display_name(by_user)},
        }
        application.title = _title_from(definition, answers)
        touch(application, user=by_user, now=now)
        application.save(update_fields=["answers", "pending_input", "sections", "title", "updated_at", "updated_by"])
        saved_event_record(application, actor=by_user, section_key=section_key, at=now)
    return SectionSave(form=form, version=version, changed=True, saved_at=now, saved_by=display_name(by_user))


def _parse_moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def answer_replace(
    application: Application,
    *,
    question_key: str,
    value: Any,
    by_user,
    now: datetime,
    event: EventKind | None = None,
    event_data: dict | None = None,
) -> None:
    """Set one answered-elsewhere answer (partners, files, budget) on a locked application and
    bump its version (``q:<key>`` in ``sections``), so whole-table edits (the budget) can detect a
    colleague's save. Call inside ``transaction.atomic`` after ``lock_application``."""
    version_key = f"q:{question_key}"
    version = application.section_version(version_key) + 1
    application.answers = {**application.answers, question_key: value}
    application.sections = {
        **application.sections,
        version_key: {"v": version, "at": now.isoformat(), "by": display_name(by_user)},
    }
    touch(application, user=by_user, now=now)
    application.save(update_fields=["answers", "sections", "updated_at", "updated_by"])
    if event is not None:
        event_record(application, event, actor=by_user, data=event_data or {}, at=now)


# --- Copying ----------------------------------------------------------------------------------
def application_copy(
    *,
    source: Application,
    call: Call,
    organisation=None,
    by_user,
    stage=None,
    creation_key: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Application:
    """A new draft in ``call`` (``stage``) filled from ``source``: every answer whose question has
    the same key and type in the new form, the partners and the attachments (the same stored files;
    a slot's file that its new rules refuse is left out). Sketch → full application works the same."""
    now = now or timezone.now()
    organisation = organisation or source.organisation
    target = application_create(
        call=call, organisation=organisation, by_user=by_user, stage=stage, creation_key=creation_key, now=now
    )
    if target.copied_from_id == source.pk or target.events.filter(kind=EventKind.COPIED).exists():
        return target  # the same creation key again: copied already
    with transaction.atomic():
        target = lock_application(target.pk)
        old = {q.key: q for _s, q in definition_of(source).questions()}
        new = definition_of(target).questions()
        answers = {}
        for _section, question in new:
            before = old.get(question.key)
            if before is None or before.type.key != question.type.key or question.key not in source.answers:
                continue
            value = source.answers[question.key]
            if question.type.answered_elsewhere and question.type.stored_errors(question, value):
                continue
            answers[question.key] = value
        target.answers = answers
        target.title = source.title
        target.copied_from = source
        target.save(update_fields=["answers", "title", "copied_from"])
        keys = set(answers)
        ApplicationPartner.objects.bulk_create(
            [
                ApplicationPartner(
                    application=target,
                    organisation_id=p.organisation_id,
                    role=p.role,
                    question_key=p.question_key,
                    added_by=by_user,
                    added_at=now,
                )
                for p in source.partners.all()
                if p.question_key in keys
            ]
        )
        ApplicationFile.objects.bulk_create(
            [
                ApplicationFile(
                    application=target,
                    stored_file_id=f.stored_file_id,
                    question_key=f.question_key,
                    added_by=by_user,
                    added_at=now,
                )
                for f in source.files.filter(attached=True)
                if f.question_key in keys
            ]
        )
        label = source.reference or source.title or str(source.pk)
        event_record(target, EventKind.COPIED, actor=by_user, data={"from": source.pk, "label": label}, at=now)
    return target


# --- Asking the ansvarlig to submit -----------------------------------------------------------
def application_request_approval(*, application_id: int, by_user, now: datetime | None = None) -> int:
    """A member who is not the ansvarlig asks the organisation's ansvarlige to look at the
    application and send it in. Each is e-mailed (by the scheduler, once). Returns how many."""
    from organisations.models import Membership

    from ..notifications import approval_requests_arm

    now = now or timezone.now()
    with transaction.atomic():
        application = lock_application(application_id)
        require_editable(application, user=by_user, now=now)
        names = [
            display_name(m.user)
            for m in Membership.objects.filter(
                organisation=application.organisation,
                role=Membership.Role.ANSVARLIG,
                user__is_active=True,
            ).select_related("user")
        ]
        if not names:
            raise ApplicationError(_("Organisasjonen har ingen administrativt ansvarlig."), code="no-ansvarlig")
        application.approval_requested_at = now
        application.save(update_fields=["approval_requested_at"])
        event = event_record(application, EventKind.APPROVAL_REQUESTED, actor=by_user, at=now, data={"to": names})
        return approval_requests_arm(application=application, requested_by=display_name(by_user), event_id=event.pk)
