"""Decision letters as PDF, in the active language, from the templates for the decision's outcome
(``templates/review/letter_<outcome>.html`` inside ``letter_base.html``)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.localized import localized
from portal.pdf import tagged_pdf

from .models import Decision
from .selectors import assessment_for_applicant


def call_letter_text(*, decision: Decision) -> str:
    """The call's own paragraph for this outcome, in the active language (bokmål if not translated)."""
    from .models import ReviewSettings

    settings = ReviewSettings.objects.filter(call_id=decision.application.call_id).first()
    field = ReviewSettings.LETTER_FIELDS.get(decision.outcome)
    return localized(settings, field) if settings and field else ""


def letter_assessment(*, application) -> dict | None:
    """The shared assessment with each criterion's name in the reader's language (bokmål if the
    call has no translation)."""
    assessment = assessment_for_applicant(application=application)
    if assessment:
        assessment["rows"] = [{**row, "name": localized(row["criterion"], "name")} for row in assessment["rows"]]
    return assessment


def letter_context(*, decision: Decision) -> dict:
    application = decision.application
    return {
        "call_text": call_letter_text(decision=decision),
        "decision": decision,
        "application": application,
        "offer": getattr(decision, "offer", None),
        "confirmed_at": timezone.localtime(decision.confirmed_at) if decision.confirmed_at else None,
        "assessment": letter_assessment(application=application),
    }


def letter_html(*, decision: Decision) -> str:
    return render_to_string(f"review/letter_{decision.outcome}.html", letter_context(decision=decision))


def letter_pdf(*, decision: Decision) -> bytes:
    """The letter as a tagged PDF (PDF/UA) in the active language."""
    return tagged_pdf(letter_html(decision=decision), what="letter")


def letter_filename(*, decision: Decision) -> str:
    return _("vedtak-%(reference)s.pdf") % {"reference": decision.application.reference or decision.application_id}
