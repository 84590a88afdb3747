"""Every PDF the portal makes is tagged PDF/UA: a structure tree with headings and tables,
``/MarkInfo`` marked, ``/Lang`` the reader's language and a title shown as the window title; the
numbers in it follow the reader's language (2027 stays a year; 500 000 kr in Norwegian, 500,000 kr
in English) and the letter names the assessment criteria in the reader's language."""

import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.utils import translation

from applications.receipts import receipt_pdf
from review.letters import letter_pdf
from review.models import Outcome
from review.services import decision_confirm, decision_prepare
from tests.review import test_review_services as review_world

call_world = review_world.call_world
pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "nn", "en"]
GROUPED_YEAR = re.compile(r"\b20[\s\xa0\u202f.,']\d{2}\b")  # 2 027, 2,027, 2.027


def structure_kinds(node, found=None) -> list[str]:
    """The structure types (/Document, /H1, /Table, …) under a structure element, depth first."""
    found = [] if found is None else found
    node = node.get_object() if isinstance(node, pypdf.generic.IndirectObject) else node
    if isinstance(node, pypdf.generic.DictionaryObject):
        if "/S" in node:
            found.append(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            structure_kinds(kids, found)
    elif isinstance(node, pypdf.generic.ArrayObject):
        for kid in node:
            structure_kinds(kid, found)
    return found


def open_tagged(pdf: bytes, *, language: str, title: str) -> tuple[str, list[str]]:
    """Check what PDF/UA asks of the document as a whole; give its text and structure types."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == language
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert title in reader.metadata.title
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()  # declares PDF/UA in XMP
    kinds = structure_kinds(catalog["/StructTreeRoot"])
    assert "/H1" in kinds and "/Table" in kinds and "/TH" in kinds, kinds
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, kinds


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_receipt_is_tagged_in_the_readers_language(call_world, language):
    application = review_world.submitted(call_world)
    version = application.versions.get(number=1)
    with translation.override(language):
        pdf = receipt_pdf(version=version)
    text, kinds = open_tagged(pdf, language=language, title=version.content["reference"])
    assert "/H2" in kinds
    assert "2027" in text or "2026" in text or "2028" in text  # the budget's year, as a year
    assert not GROUPED_YEAR.findall(text)


def approved_letter(call_world, language):
    first, second = call_world["officers"]
    criterion = call_world["criteria"][0]
    criterion.name, criterion.name_nn, criterion.name_en = "Nytteverdi", "Nytteverdi (nynorsk)", "Benefit"
    criterion.save()
    application = review_world.assessed(call_world)
    decision = decision_prepare(application_id=application.pk, by_user=first, outcome=Outcome.APPROVE,
                                granted_amount=Decimal(500_000))  # fmt: skip
    decision = decision_confirm(decision_id=decision.pk, by_user=second)
    with translation.override(language):
        return application, letter_pdf(decision=decision)


@pytest.mark.parametrize(
    ("language", "amount", "score", "criterion"),
    [
        ("nb", "500\xa0000 kr", "5,0", "Nytteverdi"),
        ("nn", "500\xa0000 kr", "5,0", "Nytteverdi (nynorsk)"),
        ("en", "500,000 kr", "5.0", "Benefit"),
    ],
)
def test_the_decision_letter_is_tagged_and_speaks_the_readers_language(call_world, language, amount, score, criterion):
    application, pdf = approved_letter(call_world, language)
    text, _kinds = open_tagged(pdf, language=language, title=application.reference)
    flat = text.replace("\u202f", "\xa0")
    assert amount.replace("\xa0", " ") in flat.replace("\xa0", " ")
    if language != "en":
        assert "500,000" not in flat
    assert score in text
    lines = text.splitlines()
    assert any(line.startswith(criterion + " ") or line == criterion for line in lines), lines
    if language != "nb":
        assert not any(line.startswith("Nytteverdi ") and "(nynorsk)" not in line for line in lines), lines
