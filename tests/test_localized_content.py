"""Scheme content in three languages: what an administrator wrote in nynorsk or English shows on
nynorsk and English pages, and where a translation is missing, bokmål stands in marked ``lang="nb"``
(so a screen reader reads it as bokmål): the scheme page, the check, a section of the application
form, the reviewer's scoring form and the applicant's decision page."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from applications.services import call_form_save
from review.services import conflict_declare, reviewer_assign
from schemes.eligibility.text import Explanation, LocalizedText
from schemes.models import AssessmentCriterion
from tests.applications.helpers import definition, question, section
from tests.factories import AssessmentCriterionFactory, CallFactory, MembershipFactory, SchemeFactory, make_application
from tests.html import normalise, parse, select, visible_text
from tests.otp import force_login_verified
from tests.review.test_pages_result import offered  # noqa: F401  (fixture)
from tests.review.test_review_services import call_world, due, in_review  # noqa: F401  (fixture)
from tests.schemes.check_helpers import set_rules

pytestmark = pytest.mark.django_db


def language_of(doc, text: str) -> str | None:
    """The language a reader's tools take ``text`` to be in: the ``lang`` of the innermost element
    whose whole text it is, or of its nearest ancestor with one (the page's own, ``<html lang>``)."""
    matches = [element for element in doc.iter() if isinstance(element.tag, str)
               and normalise(element.text_content()) == text]  # fmt: skip
    assert matches, f"«{text}» is not the whole text of any element"
    element = matches[-1]  # document order: the last match is the innermost
    while element is not None:
        if element.get("lang"):
            return element.get("lang")
        element = element.getparent()
    return None


def in_language(client, language: str):
    client.cookies["django_language"] = language
    return client


# --- the building blocks ---------------------------------------------------------------------------
def test_a_fallback_is_escaped_and_marked_and_a_translation_is_not():
    scheme = SchemeFactory.build(name="Bokmål <b>&</b>", name_nn="", name_en="English")
    template = Template('{% load localized %}{{ s|localized_html:"name" }}|{{ s|localized:"name" }}|{{ t|marked }}')
    text = LocalizedText(nb="Fast <stilling>", en="Permanent")
    with translation.override("nn"):
        assert template.render(Context({"s": scheme, "t": text})) == (
            '<span lang="nb">Bokmål &lt;b&gt;&amp;&lt;/b&gt;</span>|Bokmål &lt;b&gt;&amp;&lt;/b&gt;'
            '|<span lang="nb">Fast &lt;stilling&gt;</span>'
        )
    with translation.override("en"):
        assert template.render(Context({"s": scheme, "t": text})) == "English|English|Permanent"
    with translation.override("nb"):
        assert template.render(Context({"s": scheme, "t": text})) == (
            "Bokmål &lt;b&gt;&amp;&lt;/b&gt;|Bokmål &lt;b&gt;&amp;&lt;/b&gt;|Fast &lt;stilling&gt;"
        )


def test_an_explanation_marks_the_administrator_s_text_inside_it():
    explanation = Explanation("Søkeren har bekreftet: «%(statement)s» & mer", {"statement": LocalizedText("A < B")})
    with translation.override("en"):
        assert explanation.__html__() == 'Søkeren har bekreftet: «<span lang="nb">A &lt; B</span>» &amp; mer'
        assert str(explanation) == "Søkeren har bekreftet: «A < B» & mer"


def test_scale_labels_are_validated_per_language_and_fall_back_per_step():
    criterion = AssessmentCriterionFactory(
        scale_labels={"7": "Fremragende", "1": "Dårlig"}, scale_labels_nn={"7": "Framifrå"},
        scale_labels_en={"9": "Off the scale"},
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        criterion.full_clean()
    assert caught.value.message_dict == {"scale_labels_en": ["Trinn utenfor skalaen: 9."]}
    with translation.override("nn"):
        assert [(step, str(label), label.language) for step, label in criterion.scale_steps()] == [
            (7, "Framifrå", "nn"), (1, "Dårlig", "nb"),
        ]  # fmt: skip


# --- the pages -------------------------------------------------------------------------------------
@pytest.fixture
def scheme_with_call():
    scheme = SchemeFactory(name="Offentlig sektor-ph.d.", name_nn="Offentleg sektor-ph.d.", name_en="")
    set_rules(scheme=scheme, rules=[
        {"type": "applicant-public-funding-share", "params": {"minimum": "80"},
         "note": {"nb": "Minst 80 prosent offentlig.", "nn": "Minst 80 prosent offentleg."}},
        {"type": "max-duration-months", "params": {"maximum": 48}, "note": {"nb": "Gjelder hele prosjektet."}},
        {"type": "declaration", "params": {"key": "forankret", "statement_nb": "Prosjektet er forankret i ledelsen."}},
    ])  # fmt: skip
    call = CallFactory(scheme=scheme, title="Ph.d. 2026", title_en="PhD 2026", slug="phd-2026")
    AssessmentCriterionFactory(
        call=call, name="Gjennomføring", name_en="Implementation", weight=100,
        scale_labels={"7": "Fremragende", "1": "Dårlig"}, scale_labels_nn={"7": "Framifrå"},
        scale_labels_en={"7": "Exceptional", "1": "Poor"},
    )  # fmt: skip
    return scheme, call


def test_the_scheme_page_in_nynorsk_and_english(client, scheme_with_call):
    scheme, _call = scheme_with_call
    url = reverse("scheme-detail", args=[scheme.slug])
    nynorsk = parse(in_language(client, "nn").get(url))
    assert language_of(nynorsk, "Offentleg sektor-ph.d.") == "nn"
    assert language_of(nynorsk, "Ph.d. 2026") == "nb"  # the call title has no nynorsk
    assert language_of(nynorsk, "Minst 80 prosent offentleg.") == "nn"
    assert language_of(nynorsk, "Gjelder hele prosjektet.") == "nb"
    assert language_of(nynorsk, "Gjennomføring") == "nb"
    assert language_of(nynorsk, "7: Framifrå") == "nn" and language_of(nynorsk, "Dårlig") == "nb"
    english = parse(in_language(client, "en").get(url))
    assert language_of(english, "Offentlig sektor-ph.d.") == "nb"
    assert language_of(english, "PhD 2026") == "en" and "Ph.d. 2026" not in visible_text(english)
    assert language_of(english, "Implementation") == "en"
    assert language_of(english, "7: Exceptional") == "en" and language_of(english, "1: Poor") == "en"
    assert language_of(english, "Minst 80 prosent offentlig.") == "nb"


def test_the_check_page_in_nynorsk(client, scheme_with_call):
    answers = {"virksomhet": "kommune", "offentlig_andel": "90", "varighet": "60", "erklaeringer": "forankret"}
    html = parse(in_language(client, "nn").get(reverse("eligibility-check"), answers))
    assert language_of(html, "Offentleg sektor-ph.d.") == "nn"
    assert language_of(html, "Minst 80 prosent offentleg.") == "nn"
    assert language_of(html, "Gjelder hele prosjektet.") == "nb"
    # the declaration's statement has no nynorsk: the checkbox's label is bokmål, marked, and so
    # is the statement inside the rule's explanation
    assert language_of(html, "Prosjektet er forankret i ledelsen.") == "nb"
    assert [e.get("lang") for e in select(html, ".portal-check__rule span[lang]")] == ["nb", "nb"]


def test_a_section_of_the_application_form_in_nynorsk(client):
    form = definition(
        section("om", question("tittel", "short-text"),
                {"key": "behov", "type": "long-text", "label": {"nb": "Hva er behovet?"},
                 "help": {"nb": "Skriv kort."}, "required": True, "params": {}}),
    )  # fmt: skip
    form["sections"][0]["title"] = {"nb": "Om prosjektet"}
    call = CallFactory()
    call_form_save(call=call, definition=form, by_user=None)
    membership = MembershipFactory()
    application = make_application(organisation=membership.organisation, call=call, by_user=membership.user)
    force_login_verified(client, membership.user)
    html = parse(in_language(client, "nn").get(reverse("application-section", args=[application.pk, "om"])))
    assert language_of(html, "Spørsmål tittel nn") == "nn"
    assert language_of(html, "Hva er behovet?") == "nb"  # the field's <label>
    assert language_of(html, "Om prosjektet") == "nb"
    assert "Skriv kort." in visible_text(html)
    (help_text,) = [e for e in select(html, ".ds-field p") if "Skriv kort." in e.text_content()]
    assert [e.get("lang") for e in help_text.iter("span")] == ["nb"]


def test_the_reviewer_s_scoring_form_in_nynorsk(client, call_world):  # noqa: F811
    criterion = call_world["criteria"][0]
    AssessmentCriterion.objects.filter(pk=criterion.pk).update(
        name="Relevans", name_nn="", scale_labels={"7": "Fremragende", "1": "Dårlig"}, scale_labels_nn={"7": "Framifrå"}
    )
    application = in_review(call_world)
    reviewer = call_world["reviewers"][0]
    assignment = reviewer_assign(
        application_id=application.pk, reviewer=reviewer, by_user=call_world["officers"][0], due_date=due()
    )
    conflict_declare(assignment_id=assignment.pk, by_user=reviewer, conflict=False)
    force_login_verified(client, reviewer)
    html = parse(in_language(client, "nn").get(reverse("reviewer-assignment", args=[assignment.pk])))
    labels = {normalise(e.text_content()): e for e in select(html, "label")}
    assert "7 – Framifrå" in labels and "1 – Dårlig" in labels
    assert [span.get("lang") for span in labels["1 – Dårlig"].iter("span")] == ["nb"]
    assert not list(labels["7 – Framifrå"].iter("span"))
    assert language_of(html, "Relevans") == "nb"  # the criterion's heading


def test_the_applicant_s_decision_page_in_english(client, call_world, offered):  # noqa: F811
    application = offered
    criterion = call_world["criteria"][0]  # its consensus score is 6
    AssessmentCriterion.objects.filter(pk=criterion.pk).update(
        name="Relevans", name_en="", scale_labels={"6": "Svært god"}, scale_labels_en={"6": "Excellent"}
    )
    client.force_login(application.ansvarlig)
    html = parse(in_language(client, "en").get(reverse("application-offer", args=[application.pk])))
    assert language_of(html, "Relevans") == "nb"
    assert "6 – Excellent" in visible_text(html) and "Svært god" not in visible_text(html)


def test_the_case_page_s_agreed_score_marks_bokmaal_steps_on_its_options():
    from review.forms import ConsensusForm

    criterion = AssessmentCriterionFactory(
        name="Relevans", name_en="Relevance", scale_labels={"7": "Fremragende", "1": "Dårlig"},
        scale_labels_en={"7": "Exceptional"},
    )  # fmt: skip
    with translation.override("en"):
        html = parse(str(ConsensusForm(criterion=criterion)["score"]))
    options = {normalise(option.text_content()): option.get("lang") for option in select(html, "option")}
    assert options["7 – Exceptional"] is None and options["1 – Dårlig"] == "nb" and options["4"] is None
