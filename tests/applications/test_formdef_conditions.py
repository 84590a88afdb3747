"""Conditional questions (``applications.formdef.conditions``): evaluation as a table of cases, all/any
combinations by hypothesis, the reader's validation, and «sjekk hele søknaden» skipping what does not apply."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from applications.formdef import (
    FormDefinition,
    FormDefinitionError,
    applicable_answers,
    applicable_keys,
    facts_of,
    problems,
    section_form_class,
)
from applications.formdef.conditions import Condition, Term, describe, holds, term_holds

from .helpers import CHOICES, definition, question, section


def conditional(key, type_, condition, **params):
    return {**question(key, type_, **params), "condition": condition}


def when(*terms, match="all"):
    return {"match": match, "terms": list(terms)}


NUMBER = question("andel", "number", min_value=0, max_value=100)
YES_NO = question("opptatt", "yes-no")
CHOICE = question("valg", "single-choice", choices=CHOICES)
MANY = question("flere", "multiple-choice", choices=CHOICES)
TEXT = question("tekst", "short-text")


KOMMUNE = Term("one-of", fact="organisation-kind", values=("kommune",))
RESEARCH_PARTNER = Term("one-of", fact="partner-kind", values=("forskning",))


# --- evaluation: one term at a time ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("term", "answers", "facts", "expected"),
    [
        (Term("equals", question="opptatt", value=False), {"opptatt": False}, {}, True),
        (Term("equals", question="opptatt", value=False), {"opptatt": True}, {}, False),
        (Term("equals", question="opptatt", value=False), {}, {}, False),  # not answered is not «Nei»
        (Term("equals", question="opptatt", value=True), {"opptatt": 1}, {}, False),  # booleans are not numbers
        (Term("equals", question="valg", value="a"), {"valg": "a"}, {}, True),
        (Term("equals", question="valg", value="a"), {"valg": "b"}, {}, False),
        (Term("one-of", question="valg", values=("a", "c")), {"valg": "c"}, {}, True),
        (Term("one-of", question="valg", values=("a", "c")), {"valg": "b"}, {}, False),
        (Term("one-of", question="flere", values=("c",)), {"flere": ["a", "c"]}, {}, True),
        (Term("one-of", question="flere", values=("c",)), {"flere": ["a", "b"]}, {}, False),
        (Term("lt", question="andel", value=50), {"andel": 49.9}, {}, True),
        (Term("lt", question="andel", value=50), {"andel": 50}, {}, False),
        (Term("le", question="andel", value=50), {"andel": "50"}, {}, True),
        (Term("gt", question="andel", value=50), {"andel": 51}, {}, True),
        (Term("ge", question="andel", value=50), {"andel": 49}, {}, False),
        (Term("lt", question="andel", value=50), {}, {}, False),  # nothing to compare
        (Term("lt", question="andel", value=50), {"andel": "mange"}, {}, False),
        (Term("answered", question="tekst"), {"tekst": "hei"}, {}, True),
        (Term("answered", question="tekst"), {"tekst": ""}, {}, False),
        (Term("not-answered", question="tekst"), {}, {}, True),
        (Term("not-answered", question="tekst"), {"tekst": "hei"}, {}, False),
        (KOMMUNE, {}, facts_of(organisation_kind="kommune"), True),
        (KOMMUNE, {}, facts_of(organisation_kind="statlig"), False),
        (KOMMUNE, {}, facts_of(), False),  # unknown: false
        (Term("one-of", fact="stage", values=("hovedprosjekt",)), {}, facts_of(stage="hovedprosjekt"), True),
        (Term("one-of", fact="stage", values=("hovedprosjekt",)), {}, facts_of(stage="forprosjekt"), False),
        (RESEARCH_PARTNER, {}, facts_of(partner_kinds=["kommune", "forskning"]), True),
        (RESEARCH_PARTNER, {}, facts_of(partner_kinds=["kommune"]), False),
        (RESEARCH_PARTNER, {}, facts_of(), False),
        (Term("lt", fact="own-funding-share", value=50), {}, facts_of(own_funding_share=40), True),
        (Term("lt", fact="own-funding-share", value=50), {}, facts_of(own_funding_share=50), False),
        (Term("lt", fact="own-funding-share", value=50), {}, facts_of(), False),
    ],
)  # fmt: skip
def test_a_term(term, answers, facts, expected):
    assert term_holds(term, answers, facts) is expected


# --- evaluation: all / any ------------------------------------------------------------------------
TERMS = [Term("answered", question=f"q{n}") for n in range(6)]


@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=1, max_size=6), st.sampled_from(["all", "any"]))
def test_all_and_any_combine_the_terms_as_and_and_or(picks, match):
    terms = tuple(TERMS[n] for n, _answered in picks)
    answers = {}
    for n, answered in picks:  # the last pick of a question wins
        answers[f"q{n}"] = "ja" if answered else None
    truths = [answers[term.question] is not None for term in terms]
    condition = Condition(terms, match)
    assert holds(condition, answers, {}) is (all(truths) if match == "all" else any(truths))


def test_no_condition_always_holds():
    assert holds(None, {}, {})


@given(st.booleans(), st.booleans(), st.sampled_from(["all", "any"]))
def test_a_hidden_question_counts_as_not_answered_further_down_the_chain(first, second_answered, match):
    data = definition(
        section(
            "a",
            question("forste", "yes-no"),
            conditional("andre", "short-text", when({"question": "forste", "op": "equals", "value": True})),
            conditional(
                "tredje",
                "short-text",
                when({"question": "andre", "op": "answered"}, {"question": "forste", "op": "answered"}, match=match),
            ),
        )
    )
    form = FormDefinition.from_json(data)
    answers = {"forste": first, "andre": "tekst" if second_answered else None}
    applies = applicable_keys(form, answers)
    assert ("andre" in applies) is first
    second_counts = first and second_answered  # a hidden answer is not seen
    expected = second_counts and True if match == "all" else (second_counts or True)
    assert ("tredje" in applies) is expected


# --- reading: what the administrator may write ---------------------------------------------------
def _messages(data) -> list[str]:
    with pytest.raises(FormDefinitionError) as caught:
        FormDefinition.from_json(data)
    return caught.value.messages


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (when({"question": "senere", "op": "answered"}),
         "vilkåret bruker «senere», som ikke er et tidligere spørsmål i skjemaet."),
        (when({"question": "finnes-ikke", "op": "answered"}),
         "vilkåret bruker «finnes-ikke», som ikke er et tidligere spørsmål i skjemaet."),
        (when({"question": "selv", "op": "answered"}), "vilkåret kan ikke handle om spørsmålet selv."),
        (when({"question": "opptatt", "op": "equals", "value": "kanskje"}),
         "«kanskje» er ikke et mulig svar på «opptatt»."),
        (when({"question": "valg", "op": "one-of", "values": ["a", "x"]}), "«x» er ikke et mulig svar på «valg»."),
        (when({"question": "tekst", "op": "lt", "value": 5}),
         "«tekst» kan bare sammenlignes med et tall når det er et tallspørsmål."),
        (when({"question": "andel", "op": "lt", "value": "mye"}),
         "«andel» kan bare sammenlignes med et tall når det er et tallspørsmål."),
        (when({"question": "andel", "op": "about", "value": 5}), "ukjent sammenligning «about» i vilkåret."),
        (when({"fact": "vaer", "op": "one-of", "values": ["sol"]}), "vilkåret bruker en ukjent opplysning «vaer»."),
        (when({"fact": "stage", "op": "one-of", "values": []}),
         "et vilkår på «Søknadens trinn» må velge minst én verdi."),
        (when({"fact": "own-funding-share", "op": "one-of", "values": [5]}),
         "«Egenfinansiering i prosent av kostnadene» må sammenlignes med et tall."),
        ({"match": "all", "terms": []}, "vilkåret må ha minst ett ledd."),
        (when({"question": "tekst", "op": "answered"}, match="most"),
         "vilkåret må gjelde «alle» eller «minst ett» av leddene."),
    ],
)  # fmt: skip
def test_the_reader_refuses_a_condition_that_cannot_work(condition, message):
    data = definition(
        section("a", NUMBER, YES_NO, CHOICE, TEXT),
        section("b", conditional("selv", "short-text", condition), question("senere", "short-text")),
    )
    with translation.override("nb"):
        assert _messages(data) == [f"Del 2 («b»), spørsmål 1 («selv»): {message}"]


def test_a_circle_cannot_be_written_because_a_condition_only_names_earlier_questions():
    data = definition(
        section(
            "a",
            conditional("en", "yes-no", when({"question": "to", "op": "equals", "value": True})),
            conditional("to", "yes-no", when({"question": "en", "op": "equals", "value": True})),
        )
    )
    assert _messages(data) == [
        "Del 1 («a»), spørsmål 1 («en»): vilkåret bruker «to», som ikke er et tidligere spørsmål i skjemaet.",
        "Del 1 («a»), spørsmål 2 («to»): vilkåret bruker «en», som ikke er et tidligere spørsmål i skjemaet.",
    ]


def test_a_section_condition_names_questions_before_the_section():
    ok = definition(
        section("a", YES_NO),
        {**section("b", TEXT), "condition": when({"question": "opptatt", "op": "equals", "value": False})},
    )
    form = FormDefinition.from_json(ok)
    assert form.to_json() == ok | {"sections": [FormDefinition.from_json(ok).sections[0].to_json(),
                                                form.sections[1].to_json()]}  # fmt: skip
    assert form.sections[1].to_json()["condition"] == ok["sections"][1]["condition"]
    inside = definition({**section("b", YES_NO), "condition": when({"question": "opptatt", "op": "answered"})})
    assert _messages(inside) == [
        "Del 1 («b»): vilkåret bruker «opptatt», som ikke er et tidligere spørsmål i skjemaet."
    ]


def test_conditions_survive_to_json_and_back():
    data = definition(
        section("a", NUMBER, YES_NO, CHOICE, MANY, TEXT),
        section(
            "b",
            conditional("x", "short-text", when(
                {"question": "andel", "op": "ge", "value": 50},
                {"question": "opptatt", "op": "equals", "value": False},
                {"question": "valg", "op": "one-of", "values": ["a", "b"]},
                {"question": "tekst", "op": "not-answered"},
                {"fact": "organisation-kind", "op": "one-of", "values": ["kommune"]},
                {"fact": "own-funding-share", "op": "lt", "value": 50},
                match="any",
            )),
        ),
    )  # fmt: skip
    form = FormDefinition.from_json(data)
    assert FormDefinition.from_json(form.to_json()) == form
    assert (
        form.to_json()["sections"][1]["questions"][0]["condition"] == data["sections"][1]["questions"][0]["condition"]
    )


def test_the_summary_reads_as_a_sentence():
    data = definition(
        section(
            "a",
            {**YES_NO, "label": {"nb": "Kandidaten er tatt opp"}},
            CHOICE,
            conditional("x", "short-text", when({"question": "opptatt", "op": "equals", "value": False})),
            conditional("y", "short-text", when({"question": "valg", "op": "one-of", "values": ["a", "b"]},
                                                {"fact": "own-funding-share", "op": "lt", "value": 50}, match="any")),
        )
    )  # fmt: skip
    form = FormDefinition.from_json(data)
    questions = {q.key: q for _s, q in form.questions()}
    with translation.override("nb"):
        assert describe(questions["x"].condition, questions) == "Vises bare når: Kandidaten er tatt opp = Nei"
        assert describe(questions["y"].condition, questions) == (
            "Vises bare når: Spørsmål valg = Alfa eller Beta eller Egenfinansiering i prosent av kostnadene < 50"
        )


# --- the server is the authority -----------------------------------------------------------------
CHAIN = definition(
    section(
        "a",
        question("opptatt", "yes-no"),
        conditional("nar", "date", when({"question": "opptatt", "op": "equals", "value": False})),
    ),
    {**section("b", question("grunn", "long-text", max_chars=10)),
     "condition": when({"fact": "organisation-kind", "op": "one-of", "values": ["kommune"]})},
)  # fmt: skip


def test_a_hidden_required_question_is_not_missing_nor_checked():
    form = FormDefinition.from_json(CHAIN)
    # «nar» is hidden (admitted) and holds a wrong date; section b is hidden (not a municipality).
    answers = {"opptatt": True, "nar": "ikke en dato", "grunn": "alt for lang tekst her"}
    assert problems(form, answers, facts_of(organisation_kind="statlig")) == []
    shown = problems(form, {"opptatt": False}, facts_of(organisation_kind="kommune"))
    assert [(p.section_key, p.question_key) for p in shown] == [("a", "nar"), ("b", "grunn")]


def test_applicable_answers_keep_what_applies_and_answers_the_form_does_not_know():
    form = FormDefinition.from_json(CHAIN)
    answers = {"opptatt": True, "nar": "2027-01-01", "grunn": "x", "gammel": 1}
    assert applicable_answers(form, answers, facts_of(organisation_kind="statlig")) == {"opptatt": True, "gammel": 1}
    assert applicable_answers(form, answers, facts_of(organisation_kind="kommune")) == {
        "opptatt": True, "grunn": "x", "gammel": 1,
    }  # fmt: skip


def test_the_section_form_drops_the_errors_of_a_hidden_question():
    form = FormDefinition.from_json(CHAIN)
    section_form = section_form_class(form.sections[0])({"opptatt": "ja", "nar": "ikke en dato"})
    assert not section_form.is_valid()
    section_form.hide(["nar"])
    assert section_form.errors == {}
    assert section_form.hidden_keys == {"nar"}


def test_the_rules_read_only_answers_that_apply():
    from schemes.facts import facts_for

    data = definition(
        section(
            "a",
            question("opptatt", "yes-no"),
            {**conditional("fast", "yes-no", when({"question": "opptatt", "op": "equals", "value": True})),
             "fact": "candidate_permanently_employed"},
        )
    )  # fmt: skip
    form = FormDefinition.from_json(data)
    hidden = facts_for(form_definition=form, answers={"opptatt": False, "fast": True})
    assert hidden.candidate_permanently_employed is None  # the rule stays unknown: asked only when it applies
    shown = facts_for(form_definition=form, answers={"opptatt": True, "fast": True})
    assert shown.candidate_permanently_employed is True


# --- the seed schemes ask conditionally ------------------------------------------------------------
def _seed(slug, stage=None):
    from applications.seed import scheme_form

    return FormDefinition.from_json(scheme_form(scheme_slug=slug, stage_kind=stage))


def test_the_phd_form_asks_when_the_candidate_applies_only_if_not_admitted():
    form = _seed("offentlig-sektor-phd")
    assert "kandidat-opptak-nar" not in applicable_keys(form, {"kandidat-opptak": "opptatt"})
    assert "kandidat-opptak-nar" in applicable_keys(form, {"kandidat-opptak": "ikke-sokt"})
    assert "kandidat-opptak-nar" not in applicable_keys(form, {})


def test_the_pcp_main_project_asks_the_pre_project_s_results_and_the_pre_project_does_not():
    main, pre = (
        _seed("forkommersielle-anskaffelser", "hovedprosjekt"),
        _seed("forkommersielle-anskaffelser", "forprosjekt"),
    )
    assert "forprosjekt-resultater" in applicable_keys(main, {"forprosjekt-gjennomfort": True})
    assert "forprosjekt-resultater" not in applicable_keys(main, {"forprosjekt-gjennomfort": False})
    assert "forprosjekt-resultater" not in {q.key for _s, q in pre.questions()}


def test_innovasjonsprosjekt_asks_approval_for_a_research_partner_and_leaves_low_own_funding_to_the_rule():
    form = _seed("innovasjonsprosjekt-offentlig-sektor")
    assert "forskningsorganisasjon-godkjent" in applicable_keys(form, {}, facts_of(partner_kinds=["forskning"]))
    assert "forskningsorganisasjon-godkjent" not in applicable_keys(form, {}, facts_of(partner_kinds=["kommune"]))
    # Why own funding is below 50 %: asked once, as the soft rule's justification at submit.
    assert not [q.key for _s, q in form.questions() if "egenfinansiering" in q.key]
