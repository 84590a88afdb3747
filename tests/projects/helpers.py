from decimal import Decimal

from organisations.models import Municipality
from projects.models import Decision, Project, ProjectStatus
from projects.services import project_refresh
from tests.factories import OrganisationFactory, SchemeFactory


def make_project(**fields) -> Project:
    """A funded project (with its search document, as the services write it)."""
    municipality = fields.pop("municipality", None) or Municipality.objects.order_by("number").first()
    defaults = {
        "title": "Et prosjekt",
        "summary": "",
        "organisation": fields.pop("organisation", None) or OrganisationFactory(),
        "scheme": fields.pop("scheme", None) or SchemeFactory(),
        "year": 2024,
        "decision": Decision.GRANTED,
        "status": ProjectStatus.ONGOING,
        "amount_granted": Decimal(500_000),
        "municipality": municipality,
        "county": municipality.county if municipality else None,
    }
    sdgs, themes, partners = fields.pop("sdgs", []), fields.pop("themes", []), fields.pop("partners", [])
    project = project_refresh(project=Project(**{**defaults, **fields}))
    project.sdgs.set(sdgs)
    project.themes.set(themes)
    project.partners.set(partners)
    return project
