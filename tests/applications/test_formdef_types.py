"""Every question type: JSON round trip, parameters checked with Norwegian errors, answers in
Norwegian formats with their limits, and ``is_answered`` on the stored shapes."""

from datetime import date

import pytest

from applications.formdef import FormDefinition, FormDefinitionError, get_question_type, question_types
from applications.formdef.base import Question
from schemes.eligibility.text import LocalizedText

from .helpers import CHOICES, EXAMPLES, definition, every_type_definition, question, section


def _question(data) -> Question:
    return FormDefinition.from_json(definition(section("s", data))).sections[0].questions[0]


def _clean(data, value):
    q = _question(data)
    field = q.form_field()
    return q.type.answer_from_cleaned(q, field.clean(value))


def _errors(data, value) -> list[str]:
    from django.core.exceptions import ValidationError

    try:
        _question(data).form_field().clean(value)
    except ValidationError as error:
        return error.messages
    return []


def test_every_registered_type_has_an_example_and_survives_a_json_round_trip():
    assert set(EXAMPLES) == {t.key for t in question_types()}
    stored = every_type_definition()
    parsed = FormDefinition.from_json(stored)
    assert parsed.to_json() == stored
    assert FormDefinition.from_json(parsed.to_json()) == parsed


@pytest.mark.parametrize(
    ("type_key", "params", "message"),
    [
        ("short-text", {"max_length": 0}, "Høyst antall tegn: Verdien må være større enn eller lik 1."),
        ("long-text", {"max_chars": "mange"}, "Høyst antall tegn: Oppgi et heltall."),
        ("number", {"min_value": "10", "max_value": "2"}, "Største tall kan ikke være mindre enn minste tall."),
        ("number", {"decimals": 9}, "Antall desimaler som er lov"),
        ("amount", {"min_amount": "2 000 000", "max_amount": "100 000"}, "Største beløp kan ikke være mindre"),
        ("amount", {"max_amount": "mye"}, "Skriv beløpet i hele kroner"),
        ("single-choice", {"choices": CHOICES[:1]}, "Skriv minst to valg"),
        ("single-choice", {"choices": [CHOICES[0], CHOICES[0]]}, "Verdien «a» står to ganger."),
        ("single-choice", {"choices": [{"value": "Store Bokstaver", "label": {"nb": "x"}}, CHOICES[1]]},
         "må være små bokstaver"),
        ("multiple-choice", {"choices": CHOICES, "min_selected": 3, "max_selected": 2}, "Høyst antall kan ikke"),
        ("partners", {"min_partners": 5, "max_partners": 2}, "Høyst antall kan ikke være mindre enn minst antall."),
        ("budget", {"categories": []}, "Velg minst én kostnadskategori."),
        ("budget", {"categories": ["reiser"]}, "Velg et gyldig valg"),
        ("attachment", {"allowed_extensions": ["exe"], "max_size_mb": 5}, "Velg et gyldig valg"),
        ("attachment", {"allowed_extensions": ["pdf"], "max_size_mb": 500}, "Største filstørrelse (MB)"),
        ("attachment", {"allowed_extensions": ["pdf"]}, "Største filstørrelse (MB): Feltet er påkrevet."),
        ("date", {"earliest": "2026-01-01"}, "ukjent innstilling «earliest»"),
    ],
)  # fmt: skip
def test_parameters_are_checked_with_norwegian_messages_naming_the_question(type_key, params, message):
    with pytest.raises(FormDefinitionError) as caught:
        FormDefinition.from_json(definition(section("del-a", question("sporsmal", type_key, **params))))
    text = " ".join(caught.value.messages)
    assert message in text
    assert "Del 1 («del-a»), spørsmål 1 («sporsmal»)" in text


def test_choices_are_typed_one_a_line_in_the_admin_and_stored_as_labelled_values():
    form = get_question_type("single-choice").params_form(
        data={"choices": "ja | Ja | Ja | Yes\n\ndelvis | Delvis\nnei|Nei|Nei|No"}
    )
    assert form.is_valid(), form.errors
    params = get_question_type("single-choice").params_from_cleaned_data(form.cleaned_data)
    assert params == {"choices": [
        {"value": "ja", "label": {"nb": "Ja", "nn": "Ja", "en": "Yes"}},
        {"value": "delvis", "label": {"nb": "Delvis"}},
        {"value": "nei", "label": {"nb": "Nei", "nn": "Nei", "en": "No"}},
    ]}  # fmt: skip
    shown = get_question_type("single-choice").params_form(initial=params)["choices"].value()
    assert get_question_type("single-choice").params_form.base_fields["choices"].prepare_value(shown).splitlines() == [
        "ja | Ja | Ja | Yes", "delvis | Delvis", "nei | Nei | Nei | No",
    ]  # fmt: skip
    bad = get_question_type("single-choice").params_form(data={"choices": "ja\nnei | Nei"})
    assert not bad.is_valid()
    assert "Linje 1: skriv «verdi | bokmål | nynorsk | engelsk»." in bad.errors["choices"]


def test_short_text_limit():
    data = EXAMPLES["short-text"]
    assert _clean(data, "x" * 20) == "x" * 20
    assert _errors(data, "x" * 21) == ["Skriv høyst 20 tegn (du har skrevet 21)."]
    assert len(_errors(data, "")) == 1  # required
    assert _errors(question("valgfri", "short-text", required=False), "") == []


def test_long_text_counts_a_line_break_once_and_shows_its_limit():
    data = EXAMPLES["long-text"]
    field = _question(data).form_field()
    assert "Høyst 10 tegn" in field.help_text
    assert field.widget.attrs["data-max-chars"] == 10
    assert _clean(data, "12345\r\n6789") == "12345\n6789"  # 10 characters as the browser counts them
    assert _errors(data, "12345\r\n67890") == ["Teksten er for lang: høyst 10 tegn, du har skrevet 11."]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1", "1"), ("48", "48"), ("12,5", "12.5"), (" 1 2,5 ", "12.5"), ("2.5", "2.5")],
)
def test_number_in_norwegian_format(typed, stored):
    assert _clean(EXAMPLES["number"], typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [("0", "Tallet må være minst 1."), ("48,1", "Tallet kan være høyst 48."), ("1,25", "Skriv høyst 1 desimaler."),
     ("tolv", "Skriv et tall, for eksempel 1 250 eller 12,5."), ("NaN", "Skriv et tall")],
)  # fmt: skip
def test_number_limits(typed, message):
    assert any(message in error for error in _errors(EXAMPLES["number"], typed))


def test_a_whole_number_question_says_so():
    assert _errors(question("n", "number"), "1,5") == ["Skriv et helt tall."]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1 250 000", 1_250_000), ("1\u00a0250\u00a0000 kr", 1_250_000), ("kr 100000", 100_000),
     ("2 000 000,-", 2_000_000), ("100 000,00", 100_000), ("1\u202f000\u202f000", 1_000_000)],
)  # fmt: skip
def test_amount_accepts_how_norwegians_write_kroner(typed, stored):
    assert _clean(EXAMPLES["amount"], typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [("99 999", "Beløpet må være minst 100\u00a0000 kr."),
     ("2 000 001", "Beløpet kan være høyst 2\u00a0000\u00a0000 kr."),
     ("1 250 000,50", "Skriv beløpet i hele kroner"), ("1,5 mill", "Skriv beløpet i hele kroner")],
)  # fmt: skip
def test_amount_limits(typed, message):
    assert any(message in error for error in _errors(EXAMPLES["amount"], typed))


def test_amount_field_shows_a_stored_amount_grouped():
    assert _question(EXAMPLES["amount"]).form_field().prepare_value(1_250_000) == "1\u00a0250\u00a0000"


def test_date_is_typed_dd_mm_yyyy_and_stored_as_iso():
    data = EXAMPLES["date"]
    assert _clean(data, "22.11.2026") == "2026-11-22"
    assert _clean(data, "2026-11-22") == "2026-11-22"
    assert _errors(data, "31.02.2026") == ["Skriv datoen som dd.mm.åååå, for eksempel 22.11.2026."]
    assert _errors(data, "11/22/2026") == ["Skriv datoen som dd.mm.åååå, for eksempel 22.11.2026."]
    assert "dd.mm.åååå" in _question(data).form_field().help_text
    assert _question(data).form_field().widget.format_value(date(2026, 11, 2)) == "02.11.2026"


def test_yes_no_is_stored_as_a_boolean_and_false_counts_as_answered():
    data = EXAMPLES["yes-no"]
    assert _clean(data, "ja") is True and _clean(data, "nei") is False
    assert _errors(data, "") == ["Svar ja eller nei."]
    q = _question(data)
    assert q.is_answered(False) and not q.is_answered(None)
    assert q.type.answer_to_form_value(q, False) == "nei"


def test_single_and_multiple_choice():
    assert _clean(EXAMPLES["single-choice"], "b") == "b"
    assert _errors(EXAMPLES["single-choice"], "z") == ["Velg ett av svarene i listen."]
    data = EXAMPLES["multiple-choice"]
    assert _clean(data, ["c", "a"]) == ["a", "c"]  # in the order of the choices
    assert _errors(data, ["a", "b", "c"]) == ["Velg høyst 2."]
    assert _errors(data, []) == ["Velg minst ett av svarene."]


def test_choice_labels_follow_the_active_language():
    from django.utils import translation

    with translation.override("en"):
        field = _question(EXAMPLES["single-choice"]).form_field()
    # bokmål where none is given, marked as bokmål for the radio labels
    marked = [("b", '<span lang="nb">Beta</span>'), ("c", '<span lang="nb">Gamma</span>')]
    assert field.choices == [("a", "Alpha"), *marked]
    with translation.override("nn"):
        assert _question(EXAMPLES["single-choice"]).form_field().label == "Spørsmål ett nn"


def test_partners_budget_and_attachments_are_answered_elsewhere_and_read_their_stored_shape():
    partners, budget, attachment = (_question(EXAMPLES[k]) for k in ("partners", "budget", "attachment"))
    for q in (partners, budget, attachment):
        assert q.type.answered_elsewhere and q.form_field() is None

    assert partners.is_answered([{"org_number": "974760673", "role": "research-partner"}])
    assert not partners.is_answered([]) and not partners.is_answered(None)
    assert partners.type.stored_errors(partners, [{"org_number": "123", "role": "venn"}] * 4) == [
        "En partner mangler gyldig organisasjonsnummer eller rolle.", "Høyst 3 partnere er lov.",
    ]  # fmt: skip

    good_budget = {
        "rows": {"personal": {"2027": "500000", "2028": "0"}},
        "own_funding": "250000",
        "other_funding": "0",
        "requested": 250_000,
    }  # fmt: skip (strings, as the budget page writes)
    assert budget.is_answered(good_budget) and budget.type.stored_errors(budget, good_budget) == []
    assert not budget.is_answered({"rows": {"personal": {"2027": "0"}}}) and not budget.is_answered({})
    # The budget reader (applications.budget) names the first unreadable cell; the question adds its own limits.
    errors = budget.type.stored_errors
    assert errors(budget, {"rows": {"annet": {"27": "1"}}}) == ["Ugyldig år i budsjettet: 27."]
    assert errors(budget, {"rows": {"annet": {"2027": "1.5"}}}) == ["Andre driftskostnader 2027: oppgi hele kroner."]
    assert errors(budget, {"own_funding": "-1"}) == ["Egenfinansiering: beløpet kan ikke være negativt."]
    three_years = {"utstyr": {"2027": "1"}, "annet": {"2027": "1", "2028": "1", "2029": "1 000"}}
    assert errors(budget, {"rows": three_years}) == [
        "Budsjettet har en kostnadskategori utlysningen ikke bruker.", "Budsjettet kan gå over høyst 2 år.",
    ]  # fmt: skip

    pdf = {"file_id": "f1", "name": "plan.pdf", "size": 1024, "sha256": "ab" * 32}
    assert attachment.is_answered(pdf) and attachment.is_answered([pdf]) and not attachment.is_answered([])
    assert attachment.type.stored_errors(attachment, pdf) == []
    exe = {**pdf, "name": "virus.exe", "size": 3 * 1024 * 1024}
    assert attachment.type.stored_errors(attachment, [pdf, exe]) == [
        "Bare én fil er lov her.", "«virus.exe» er ikke en filtype som er lov her.", "«virus.exe» er større enn 2 MB.",
    ]  # fmt: skip


def test_attachment_slots_offer_exactly_the_kinds_the_upload_validator_checks(settings):
    from applications.formdef.types import AttachmentParams, kind_of_name
    from attachments.kinds import FileKind

    assert [value for value, _label in AttachmentParams().fields["allowed_extensions"].choices] == FileKind.values
    settings.MAX_UPLOAD_MB = 20
    form = AttachmentParams(data={"allowed_extensions": ["pptx"], "max_size_mb": "21"})
    assert not form.is_valid()
    assert set(form.errors) == {"allowed_extensions", "max_size_mb"}
    assert kind_of_name("foto.JPEG", ["jpg"]) == "jpg"  # the validator accepts .jpeg as a JPEG, so must the slot
    assert kind_of_name("rapport.pdf.html", ["pdf"]) is None


def test_localized_help_is_shown_before_the_generated_help():
    q = _question(question("n", "long-text", help_="Skriv kort.", max_chars=100))
    assert q.help == LocalizedText("Skriv kort.")
    assert q.form_field().help_text == "Skriv kort. Høyst 100 tegn, mellomrom og linjeskift medregnet."
