"""The expected benefits (gevinster) of an application, edited as rows in the draft."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Application, EventKind, ExpectedBenefit
from ..permissions import can_edit_application
from .common import ApplicationError, event_record, lock_application

MAX_BENEFITS = 20


@dataclass(frozen=True)
class BenefitRow:
    kind: str
    indicator: str
    baseline: str
    target: str
    due_on: date


def application_benefits_save(*, application_id: int, by_user, rows: list[BenefitRow]) -> Application:
    """Replace the application's expected benefits with ``rows`` (in their order). Raises
    ``ApplicationError`` (state, too many, invalid); nothing is written then."""
    if len(rows) > MAX_BENEFITS:
        raise ApplicationError(_("Høyst %(n)s gevinster.") % {"n": MAX_BENEFITS}, code="too-many")
    with transaction.atomic():
        application = lock_application(application_id)
        if not can_edit_application(by_user, application):
            raise ApplicationError(_("Søknaden kan ikke endres nå."), code="state")
        benefits = [ExpectedBenefit(application=application, position=n, **row.__dict__) for n, row in enumerate(rows)]
        for benefit in benefits:
            benefit.full_clean(exclude=["application"])
        application.benefits.all().delete()
        ExpectedBenefit.objects.bulk_create(benefits)
        event_record(application, EventKind.SAVED, actor=by_user, data={"section": "gevinster"})
    return application
