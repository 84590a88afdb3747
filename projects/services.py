"""Writes to the project bank: a project from an accepted offer, the stored search document."""

from datetime import datetime

from django.db import transaction

from portal.textsearch import search_document

from .models import Decision, Project, ProjectStatus


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
    project_refresh(project=project)
    project.partners.set([partner.organisation_id for partner in application.partners.all()])
    project.sdgs.set(call.scheme.sdgs.all())
    project.themes.set(call.scheme.themes.all())
    return project
