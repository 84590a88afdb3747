"""A form definition as a whole: validation naming where each problem is, section forms, and
«sjekk hele søknaden» (``problems``)."""

import pytest
from django.utils import translation

from applications.formdef import FormDefinition, FormDefinitionError, Problem, problems, section_form_class

from .helpers import EXAMPLES, definition, every_type_definition, question, section


def _messages(data) -> list[str]:
    with pytest.raises(FormDefinitionError) as caught:
        FormDefinition.from_json(data)
    return caught.value.messages


def test_keys_must_be_unique_and_slug_like():
    data = definition(
        section("om", question("tittel", "short-text"), question("tittel", "long-text")),
        section("om", question("tittel", "date")),
        section("Om Prosjektet", question("æøå", "date")),
    )
    assert _messages(data) == [
        "Del 1 («om»), spørsmål 2: nøkkelen «tittel» er brukt før.",
        "Del 2: nøkkelen «om» er brukt før.",
        "Del 2, spørsmål 1: nøkkelen «tittel» er brukt før.",
        "Del 3: nøkkelen «Om Prosjektet» må være 1–50 små bokstaver (a–z), tall og bindestrek.",
        "Del 3, spørsmål 1: nøkkelen «æøå» må være 1–50 små bokstaver (a–z), tall og bindestrek.",
    ]


def test_an_unknown_type_is_a_clear_error_listing_the_known_ones():
    (message,) = _messages(definition(section("om", question("x", "video"))))
    assert message.startswith("Del 1 («om»), spørsmål 1 («x») har en ukjent spørsmålstype «video». Kjente typer: ")
    assert "short-text" in message and "attachment" in message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "Skjemaet må være et objekt med en liste «sections»."),
        ({"sections": [], "versjon": 2}, "Ukjente felt i skjemaet: versjon."),
        ({"sections": ["tekst"]}, "Del 1 må være et objekt."),
        (definition({**section("om"), "title": {"nn": "Berre nynorsk"}}),
         "Del 1 («om»): tittelen må ha tekst på bokmål."),
        (definition(section("om", {**question("x", "date"), "label": {"nb": " "}})), "spørsmålsteksten må ha tekst"),
        (definition(section("om", {**question("x", "date"), "required": "ja"})),
         "«required» må være true eller false."),
        (definition(section("om", {**question("x", "date"), "params": []})), "innstillingene må være et objekt."),
        (definition(section("om", {**question("x", "date"), "farge": "blå"})), "ukjente felt farge."),
    ],
)  # fmt: skip
def test_malformed_definitions_are_refused_in_norwegian(data, message):
    assert any(message in m for m in _messages(data))


def test_section_form_has_a_field_per_answerable_question_in_the_active_language():
    parsed = FormDefinition.from_json(every_type_definition())
    with translation.override("en"):
        form_class = section_form_class(parsed.sections[0])
    form = form_class()
    assert list(form.fields) == [k for k in (q["key"] for q in EXAMPLES.values())
                                 if k not in ("partnere", "budsjett", "vedlegg")]  # fmt: skip
    assert [q.key for q in form.answered_elsewhere] == ["partnere", "budsjett", "vedlegg"]
    assert form.fields["navn"].label == "Question navn"
    assert form.fields["navn"].widget.attrs["class"] == "ds-input"  # Designsystemet
    assert [q.key for q, field in form.entries() if field is None] == ["partnere", "budsjett", "vedlegg"]


def test_section_form_shows_stored_answers_and_gives_them_back_as_json():
    parsed = FormDefinition.from_json(every_type_definition())
    form_class = section_form_class(parsed.sections[0])
    stored = {
        "navn": "Kari",
        "beskrivelse": "Kort",
        "antall": "12.5",
        "belop": 1_250_000,
        "start": "2026-11-22",
        "delt": False,
        "ett": "b",
        "flere": ["a"],
        "partnere": [{"org_number": "974760673", "role": "partner"}],
    }
    shown = form_class.from_answers(stored)
    assert shown["belop"].value() == "1\u00a0250\u00a0000" and shown["delt"].value() == "nei"
    data = {"navn": "Kari", "beskrivelse": "Kort", "antall": "12,5", "belop": "1 250 000", "start": "22.11.2026",
            "delt": "nei", "ett": "b", "flere": ["a"]}  # fmt: skip
    form = form_class.from_answers(stored, data=data)
    assert form.is_valid(), form.errors
    assert form.answers() == {key: value for key, value in stored.items() if key != "partnere"}


def test_problems_lists_missing_required_answers_and_stored_answers_that_no_longer_pass():
    data = definition(
        section("om", question("tittel", "short-text", max_length=5), question("valgfri", "long-text", required=False)),
        section("penger", question("belop", "amount", max_amount=1000), question("budsjett", "budget",
                categories=["annet"]), question("vedlegg", "attachment", allowed_extensions=["pdf"], max_size_mb=1)),
    )  # fmt: skip
    parsed = FormDefinition.from_json(data)
    answers = {"tittel": "For lang tittel", "belop": 5000, "budsjett": {"rows": {"annet": {"2027": "10"}}}}
    assert problems(parsed, answers) == [
        Problem("om", "tittel", "Skriv høyst 5 tegn (du har skrevet 15)."),
        Problem("penger", "belop", "Beløpet kan være høyst 1\u00a0000 kr."),
        Problem("penger", "vedlegg", "Må fylles ut."),
    ]
    assert problems(parsed, {**answers, "tittel": "Kort", "belop": 1000,
                             "vedlegg": {"file_id": "1", "name": "a.pdf", "size": 1, "sha256": "x"}}) == []  # fmt: skip


def test_problems_of_an_empty_definition_and_answers():
    assert problems(FormDefinition(), {}) == []
