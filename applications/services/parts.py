"""Partners and attachments: the answers written by their own pages.

The relational rows (``ApplicationPartner``, ``ApplicationFile``) decide who may read the
application and download its files; the same facts are kept in ``answers`` for the form's checks.
Both are written together, under the application's lock.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attachments.services import file_store
from organisations.models import Organisation
from organisations.validators import clean_organisation_number

from ..formdef import Question
from ..models import ApplicationFile, ApplicationPartner, EventKind, PartnerRole
from .common import ApplicationError, lock_application, require_editable, saved_event_record
from .drafting import answer_replace, definition_of


def _question(application, question_key: str, type_key: str) -> Question:
    for _section, question in definition_of(application).questions():
        if question.key == question_key and question.type.key == type_key:
            return question
    raise ApplicationError(_("Søknaden har ikke et slikt spørsmål."), code="no-question")


def _partners_answer(application, question_key: str) -> list[dict]:
    rows = (
        application.partners.filter(question_key=question_key).select_related("organisation").order_by("added_at", "pk")
    )
    return [{"org_number": p.organisation.org_number, "role": p.role} for p in rows]


def partner_organisation_find_or_create(*, org_number: str, name: str = "", kind: str = "") -> Organisation:
    """The registered organisation with this number; a new one (needs ``name`` and ``kind``) if none.
    Raises ``ValidationError`` with the field that is wrong."""
    number = clean_organisation_number(org_number)
    organisation = Organisation.objects.filter(org_number=number).first()
    if organisation is not None:
        return organisation
    errors = {}
    if not name.strip():
        errors["name"] = _("Organisasjonen er ikke registrert i portalen ennå: skriv navnet.")
    if not kind:
        errors["kind"] = _("Organisasjonen er ikke registrert i portalen ennå: velg hva slags virksomhet det er.")
    if errors:
        raise ValidationError(errors)
    organisation = Organisation(org_number=number, name=name.strip(), kind=kind)
    organisation.full_clean()
    organisation.save()
    return organisation


def application_partner_add(
    *,
    application_id: int,
    question_key: str,
    org_number: str,
    role: str,
    by_user,
    name: str = "",
    kind: str = "",
    now: datetime | None = None,
) -> ApplicationPartner:
    """Add a partner by organisation number (looked up in the registry; registered if new)."""
    now = now or timezone.now()
    if role not in PartnerRole.values:
        raise ValidationError({"role": _("Velg en rolle.")})
    with transaction.atomic():
        application = lock_application(application_id)
        require_editable(application, user=by_user, now=now)
        question = _question(application, question_key, "partners")
        organisation = partner_organisation_find_or_create(org_number=org_number, name=name, kind=kind)
        if organisation.pk == application.organisation_id:
            raise ValidationError({"org_number": _("Søkeren selv kan ikke være partner.")})
        if application.partners.filter(organisation=organisation).exists():
            raise ValidationError({"org_number": _("%(org)s er allerede partner.") % {"org": organisation.name}})
        high = question.params.get("max_partners")
        if high and application.partners.filter(question_key=question_key).count() >= high:
            raise ValidationError(
                {
                    "org_number": ngettext("Høyst %(n)s partner er lov.", "Høyst %(n)s partnere er lov.", high)
                    % {"n": high}
                }
            )
        partner = ApplicationPartner.objects.create(
            application=application,
            organisation=organisation,
            role=role,
            question_key=question_key,
            added_by=by_user,
            added_at=now,
        )
        answer_replace(
            application,
            question_key=question_key,
            value=_partners_answer(application, question_key),
            by_user=by_user,
            now=now,
            event=EventKind.PARTNER_ADDED,
            event_data={"org_number": organisation.org_number, "name": organisation.name, "role": role},
        )
    return partner


def application_partner_remove(*, application_id: int, partner_id: int, by_user, now: datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        application = lock_application(application_id)
        require_editable(application, user=by_user, now=now)
        partner = application.partners.select_related("organisation").filter(pk=partner_id).first()
        if partner is None:
            raise ApplicationError(_("Partneren er allerede fjernet."), code="gone")
        partner.delete()
        answer_replace(
            application,
            question_key=partner.question_key,
            value=_partners_answer(application, partner.question_key),
            by_user=by_user,
            now=now,
            event=EventKind.PARTNER_REMOVED,
            event_data={"org_number": partner.organisation.org_number, "name": partner.organisation.name},
        )


# --- Attachments --------------------------------------------------------------------------------
def _files_answer(application, question: Question):
    rows = application.files.filter(question_key=question.key, attached=True).select_related("stored_file")
    files = [
        {
            "file_id": str(f.stored_file_id),
            "name": f.stored_file.display_name,
            "size": f.stored_file.size,
            "sha256": f.stored_file.sha256,
        }
        for f in rows.order_by("added_at", "pk")
    ]
    if question.params.get("multiple"):
        return files
    return files[-1] if files else None


def application_file_add(
    *, application_id: int, question_key: str, uploaded_file: UploadedFile, by_user, now: datetime | None = None
) -> ApplicationFile:
    """Check the file against the slot (kinds, size, content) and attach it. A rejected file raises
    ``UploadRejected`` and leaves the application as it was; in a single-file slot a new file
    replaces the old one (which stays stored for versions that were sent with it)."""
    now = now or timezone.now()
    # Checked before the upload is stored, and again under the lock below.
    from ..models import Application

    application = Application.objects.select_related("call", "stage", "organisation").get(pk=application_id)
    require_editable(application, user=by_user, now=now)
    question = _question(application, question_key, "attachment")
    stored = file_store(
        uploaded_file=uploaded_file,
        allowed=question.params.get("allowed_extensions", ()),
        max_bytes=question.params.get("max_size_mb", 10) * 1024 * 1024,
        by_user=by_user,
    )
    with transaction.atomic():
        application = lock_application(application_id)
        require_editable(application, user=by_user, now=now)
        if not question.params.get("multiple"):
            application.files.filter(question_key=question_key, attached=True).update(attached=False)
        attached = ApplicationFile.objects.create(
            application=application, stored_file=stored, question_key=question_key, added_by=by_user, added_at=now
        )
        answer_replace(
            application,
            question_key=question_key,
            value=_files_answer(application, question),
            by_user=by_user,
            now=now,
            event=EventKind.FILE_ADDED,
            event_data={
                "name": stored.display_name,
                "size": stored.size,
                "sha256": stored.sha256,
                "question": question_key,
            },
        )
    return attached


def application_file_remove(*, application_id: int, file_id: int, by_user, now: datetime | None = None) -> None:
    """Detach a file from the working copy. The stored file stays while a submitted version names it."""
    now = now or timezone.now()
    with transaction.atomic():
        application = lock_application(application_id)
        require_editable(application, user=by_user, now=now)
        attached = application.files.select_related("stored_file").filter(pk=file_id, attached=True).first()
        if attached is None:
            raise ApplicationError(_("Vedlegget er allerede fjernet."), code="gone")
        question = _question(application, attached.question_key, "attachment")
        attached.attached = False
        attached.save(update_fields=["attached"])
        answer_replace(
            application,
            question_key=question.key,
            value=_files_answer(application, question),
            by_user=by_user,
            now=now,
            event=EventKind.FILE_REMOVED,
            event_data={"name": attached.stored_file.display_name, "question": question.key},
        )


def application_budget_save(
    *,
    application_id: int,
    question_key: str,
    budget_json: dict,
    base_version: int,
    by_user,
    now: datetime | None = None,
) -> tuple[bool, int]:
    """Store the budget table (``applications.budget`` shape). Returns ``(saved, version)``; not
    saved when a colleague saved the budget since ``base_version`` (the caller shows both)."""
    now = now or timezone.now()
    with transaction.atomic():
        application = lock_application(application_id)
        require_editable(application, user=by_user, now=now)
        _question(application, question_key, "budget")
        current = application.section_version(f"q:{question_key}")
        if int(base_version) != current:
            return False, current
        if application.answers.get(question_key) == budget_json:
            return True, current
        answer_replace(application, question_key=question_key, value=budget_json, by_user=by_user, now=now)
        saved_event_record(application, actor=by_user, section_key=question_key, at=now, kind=EventKind.BUDGET_SAVED)
        return True, current + 1
