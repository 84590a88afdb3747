"""Decision letters as PDF, in the active language, from the templates for the decision's outcome
(``templates/review/letter_<outcome>.html`` inside ``letter_base.html``)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Decision
from .selectors import assessment_for_applicant


def call_letter_text(*, decision: Decision) -> str:
    """The call's own paragraph for this outcome, in the active language (bokmål if not translated)."""
    from portal.localized import localized

    from .models import ReviewSettings

    settings = ReviewSettings.objects.filter(call_id=decision.application.call_id).first()
    field = ReviewSettings.LETTER_FIELDS.get(decision.outcome)
    return localized(settings, field) if settings and field else ""


def letter_context(*, decision: Decision) -> dict:
    application = decision.application
    return {
        "call_text": call_letter_text(decision=decision),
        "decision": decision,
        "application": application,
        "offer": getattr(decision, "offer", None),
        "confirmed_at": timezone.localtime(decision.confirmed_at) if decision.confirmed_at else None,
        "assessment": assessment_for_applicant(application=application),
    }


def letter_pdf(*, decision: Decision) -> bytes:
    from weasyprint import HTML

    def no_fetch(url, *args, **kwargs):
        raise ValueError(f"The letter fetches nothing ({url}).")

    html = render_to_string(f"review/letter_{decision.outcome}.html", letter_context(decision=decision))
    return HTML(string=html, url_fetcher=no_fetch).write_pdf()


def letter_filename(*, decision: Decision) -> str:
    return _("vedtak-%(reference)s.pdf") % {"reference": decision.application.reference or decision.application_id}
