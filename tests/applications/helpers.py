"""Form definitions for tests."""

from typing import Any


def question(key: str, type_: str, *, required: bool = True, help_: str | None = None, **params) -> dict[str, Any]:
    data: dict[str, Any] = {"key": key, "type": type_, "label": {"nb": f"Spørsmål {key}", "nn": f"Spørsmål {key} nn",
                                                                  "en": f"Question {key}"}}  # fmt: skip
    if help_:
        data["help"] = {"nb": help_}
    return {**data, "required": required, "params": params}


def section(key: str, *questions: dict[str, Any], title: str | None = None) -> dict[str, Any]:
    title = title or f"Del {key}"
    return {"key": key, "title": {"nb": title, "nn": f"{title} nn", "en": f"{title} en"}, "questions": list(questions)}


def definition(*sections: dict[str, Any]) -> dict[str, Any]:
    return {"sections": list(sections)}


CHOICES = [
    {"value": "a", "label": {"nb": "Alfa", "nn": "Alfa nn", "en": "Alpha"}},
    {"value": "b", "label": {"nb": "Beta"}},
    {"value": "c", "label": {"nb": "Gamma"}},
]

# One valid question of every type, with parameters: the completeness test needs one per registered type.
EXAMPLES: dict[str, dict[str, Any]] = {
    "short-text": question("navn", "short-text", max_length=20),
    "long-text": question("beskrivelse", "long-text", max_chars=10),
    "number": question("antall", "number", min_value=1, max_value=48, decimals=1),
    "amount": question("belop", "amount", min_amount=100_000, max_amount=2_000_000),
    "date": question("start", "date"),
    "yes-no": question("delt", "yes-no"),
    "single-choice": question("ett", "single-choice", choices=CHOICES),
    "multiple-choice": question("flere", "multiple-choice", choices=CHOICES, min_selected=1, max_selected=2),
    "partners": question("partnere", "partners", min_partners=1, max_partners=3),
    "budget": question("budsjett", "budget", categories=["personal", "annet"], max_years=2),
    "attachment": question("vedlegg", "attachment", allowed_extensions=["pdf", "docx"], max_size_mb=2, multiple=False),
}


def every_type_definition() -> dict[str, Any]:
    return definition(section("alt", *EXAMPLES.values()))


# --- Applications -----------------------------------------------------------------------------
def post_data(data: dict):
    """A dict as the QueryDict a browser would post (lists for fields with several values)."""
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    for key, value in data.items():
        q.setlist(key, value if isinstance(value, list) else [value])
    return q


COMPLETE_BUDGET = {
    "rows": {"personal": {"2027": "400000"}, "innkjop": {"2027": "800000"}},
    "own_funding": "600000",
    "other_funding": "0",
    "requested": "600000",
}


def complete_application(application, user, *, partner=None, attach=True):
    """Fill in every part of the demo's full form through the services, so it can be submitted.
    Needs the private storage pointed at a temporary folder (the ``private_storage`` fixture).
    With ``attach=False`` the project description (an attachment) is left for the caller to upload.
    Returns the partner organisation."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.services import (
        application_budget_save,
        application_file_add,
        application_partner_add,
        application_section_save,
    )
    from organisations.models import OrganisationKind
    from tests.attachments.files import pdf_bytes
    from tests.factories import FULL_FORM_POSTS, OrganisationFactory

    for section_key, data in FULL_FORM_POSTS.items():
        version = application.__class__.objects.get(pk=application.pk).section_version(section_key)
        result = application_section_save(
            application_id=application.pk, section_key=section_key, data=post_data(data), base_version=version,
            by_user=user,
        )  # fmt: skip
        assert not result.rejected and not result.conflict, (section_key, result.form.errors)
    partner = partner or OrganisationFactory(kind=OrganisationKind.RESEARCH)
    application_partner_add(application_id=application.pk, question_key="partnere", org_number=partner.org_number,
                            role="research-partner", by_user=user)  # fmt: skip
    current = application.__class__.objects.get(pk=application.pk).section_version("q:budsjett")
    application_budget_save(application_id=application.pk, question_key="budsjett", budget_json=COMPLETE_BUDGET,
                            base_version=current, by_user=user)  # fmt: skip
    if attach:
        description = SimpleUploadedFile("beskrivelse.pdf", pdf_bytes())
        application_file_add(application_id=application.pk, question_key="prosjektbeskrivelse",
                             uploaded_file=description, by_user=user)  # fmt: skip
    return partner
