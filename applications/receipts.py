"""The PDF receipt of a submitted version: what was sent, as it was sent, in the reader's language.

Rendered from the version's frozen ``content`` only (never from the application as it is now), so
the receipt of version 1 stays the same after version 2 is sent.
"""

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.pdf import tagged_pdf
from schemes.eligibility.base import Status
from schemes.eligibility.engine import Verdict

from .budget import CostCategory
from .display import answer_text, budget_rows
from .formdef import FormDefinition, applicable_keys, facts_of, section_applies
from .formdef.conditions import own_funding_share
from .models import ApplicationVersion, PartnerRole


def eligibility_display(frozen: dict | None) -> dict | None:
    """The eligibility result frozen in a version, as people read it in the active language: the
    verdict's and each status's label (the version stores codes such as «need-more-information»),
    and each explanation in the reader's language when the version holds it (older versions hold
    bokmål only)."""
    if not frozen:
        return None
    language = translation.get_language() or "nb"

    def label(choices, code):
        try:
            return str(choices(code).label)
        except ValueError:
            return code

    return {
        "verdict": label(Verdict, frozen.get("verdict", "")),
        "outcomes": [
            {
                # A rule the officer judges in the formal check is neither met nor unknown to the reader.
                "status": "officer" if outcome.get("officer") else outcome.get("status", ""),
                "status_label": (
                    _("Vurderes av saksbehandler")
                    if outcome.get("officer")
                    else label(Status, outcome.get("status", ""))
                ),
                "explanation": (outcome.get("explanations") or {}).get(language) or outcome.get("explanation", ""),
            }
            for outcome in frozen.get("outcomes", [])
        ],
    }


def _moment(value: str) -> datetime:
    return timezone.localtime(datetime.fromisoformat(value))


def receipt_context(*, version: ApplicationVersion) -> dict:
    content = version.content
    definition = FormDefinition.from_json(content["form"])
    answers = content.get("answers", {})
    partner_names = {p["org_number"]: p["name"] for p in content.get("partners", [])}
    roles = dict(PartnerRole.choices)
    # Only the sections and questions that applied when it was submitted (their conditions hold).
    facts = facts_of(
        organisation_kind=(content.get("applicant") or {}).get("kind"),
        stage=content.get("stage"),
        partner_kinds=[p.get("kind") for p in content.get("partners", []) if p.get("kind")],
        own_funding_share=own_funding_share(definition, answers),
    )
    applies = applicable_keys(definition, answers, facts)
    sections = []
    for section in definition.sections:
        if not section_applies(applies, section):
            continue
        rows = []
        for question in section.questions:
            if question.key not in applies:
                continue
            value = answers.get(question.key)
            entry = {"label": str(question.label), "text": answer_text(question, value, partner_names=partner_names)}
            if question.type.key == "budget":
                entry["budget"] = budget_rows(value)
            if question.type.key == "long-text":
                entry["long"] = True
            rows.append(entry)
        sections.append({"title": str(section.title), "rows": rows})
    return {
        "content": content,
        "version": version,
        "submitted_at": _moment(content["submitted_at"]),
        "deadline": _moment(content["deadline"]),
        "sections": sections,
        "partners": [{**p, "role_label": roles.get(p["role"], p["role"])} for p in content.get("partners", [])],
        "attachments": content.get("attachments", []),
        "eligibility": eligibility_display(content.get("eligibility")),
        "categories": dict(CostCategory.choices),
    }


def receipt_html(*, version: ApplicationVersion) -> str:
    return render_to_string("applications/receipt_pdf.html", receipt_context(version=version))


def receipt_pdf(*, version: ApplicationVersion) -> bytes:
    """The receipt as a tagged PDF (PDF/UA) in the active language; nothing is fetched."""
    return tagged_pdf(receipt_html(version=version), what="receipt")


def receipt_filename(*, version: ApplicationVersion) -> str:
    return _("kvittering-%(reference)s-v%(number)s.pdf") % {
        "reference": version.content.get("reference") or version.application_id,
        "number": version.number,
    }
