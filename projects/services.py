"""Writes to the project bank: a project from an accepted offer, the stored search document, an
officer's redaction."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from applications.publicity import chosen_parts
from portal.textsearch import search_document

from .models import OPTIONAL_FIELDS, Decision, Project, ProjectRedaction, ProjectStatus
from .permissions import can_redact_project


def project_search_document(project: Project) -> str:
    """The stems the bank's search looks in: the title, and the summary when it is public."""
    texts = [project.title, project.summary if project.shows("summary") else ""]
    return search_document(norwegian=texts)


def project_refresh(*, project: Project) -> Project:
    """Validate and save ``project`` with its search document (after any change to its texts or
    visibility: the admin, the import, the offer)."""
    project.search_document = project_search_document(project)
    project.full_clean(exclude=["organisation", "scheme", "municipality", "county", "call", "application"])
    project.save()
    return project


def project_complete(application, transition, by_user) -> None:
    """The officer completed the project's application (transition COMPLETE, once the final and
    benefits reports are in): the bank shows it as «Avsluttet». Runs in that transition's transaction
    (``applications.services.transitions.on_transition``, registered in ``ProjectsConfig.ready``)."""
    Project.objects.filter(application=application).update(status=ProjectStatus.COMPLETED)


def _summary(answers: dict) -> str:
    value = answers.get("sammendrag", "")
    return value if isinstance(value, str) else ""


@transaction.atomic
def project_from_offer(*, offer, now: datetime) -> Project:
    """The project an accepted ``offer`` funds (review's offer-accepted observer). Idempotent: a
    second call for the same application updates the same project."""
    application = offer.application
    organisation = application.organisation
    call = application.call
    project = Project.objects.filter(application=application).first() or Project(application=application)
    project.title = application.title or str(application.reference or application.pk)
    project.summary = _summary(application.answers or {})
    project.organisation = organisation
    project.municipality_id = organisation.municipality_id
    project.county_id = organisation.county_id or (
        organisation.municipality.county_id if organisation.municipality_id else None
    )
    project.scheme_id = call.scheme_id
    project.call = call
    project.call_title = call.title
    project.year = now.year
    project.decision = Decision.GRANTED
    project.status = ProjectStatus.ONGOING
    project.amount_granted = offer.amount
    for part, public in chosen_parts(application.publicity).items():
        setattr(project, f"public_{part}", public)
    project_refresh(project=project)
    project.partners.set([partner.organisation_id for partner in application.partners.all()])
    project.sdgs.set(call.scheme.sdgs.all())
    project.themes.set(call.scheme.themes.all())
    return project


class RedactionRefused(Exception):
    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def project_redact(*, project_id: int, by_user, redacted: set[str], reason: str, now: datetime) -> Project:
    """Set which optional parts (``OPTIONAL_FIELDS``) an officer hides from the public, whatever the
    applicant chose, and record who, when, what and why (``ProjectRedaction``). Raises
    ``RedactionRefused`` (forbidden, reason, unchanged); nothing is written then."""
    reason = (reason or "").strip()
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("scheme").get(pk=project_id)
        if not can_redact_project(by_user, project):
            raise RedactionRefused(_("Bare saksbehandlere for ordningen kan sladde prosjektet."), code="forbidden")
        before = {part for part in OPTIONAL_FIELDS if getattr(project, f"redacted_{part}")}
        redacted = redacted & set(OPTIONAL_FIELDS)
        if redacted == before:
            raise RedactionRefused(_("Ingenting er endret."), code="unchanged")
        if not reason:
            raise RedactionRefused(_("Skriv hvorfor sladdingen endres."), code="reason")
        for part in OPTIONAL_FIELDS:
            setattr(project, f"redacted_{part}", part in redacted)
        project_refresh(project=project)  # the search document leaves out a redacted summary
        ProjectRedaction.objects.create(
            project=project, by=by_user, at=now, reason=reason[:2000],
            redacted=sorted(redacted), added=sorted(redacted - before), removed=sorted(before - redacted),
        )  # fmt: skip
    return project
