"""Conditional questions on the real pages and services: the server decides what applies. A hidden
question is neither required nor checked, its answer stays in the draft but not in the submitted
version, the receipt, the officer's view or the rules' facts; the section page hides it."""

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationVersion
from applications.receipts import receipt_context
from applications.services import application_section_save, application_submit, submission_check
from applications.workflow import State
from organisations.models import Membership
from tests.applications.helpers import complete_application, post_data
from tests.factories import MembershipFactory, make_application
from tests.html import visible_text

pytestmark = pytest.mark.django_db

ADMITTED = {"key": "opptatt", "type": "yes-no", "label": {"nb": "Kandidaten er tatt opp"}, "required": True,
            "params": {}}  # fmt: skip
NOT_ADMITTED = {"match": "all", "terms": [{"question": "opptatt", "op": "equals", "value": False}]}
WHEN = {"key": "nar", "type": "date", "label": {"nb": "Når søker kandidaten opptak?"}, "required": True,
        "params": {}, "condition": NOT_ADMITTED}  # fmt: skip


def with_conditional_questions(application):
    """The application's own form copy with «opptatt» and, only when not admitted, «nar» (required)."""
    definition = application.form["definition"]
    definition["sections"][0]["questions"] += [ADMITTED, WHEN]
    application.form = {**application.form, "definition": definition}
    application.save(update_fields=["form"])
    return application


def save(application, user, section_key, data):
    version = Application.objects.get(pk=application.pk).section_version(section_key)
    return application_section_save(application_id=application.pk, section_key=section_key,
                                    data=post_data(data), base_version=version, by_user=user)  # fmt: skip


@pytest.fixture
def team():
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    return ansvarlig.user, ansvarlig.organisation


@pytest.fixture
def ready(private_storage, team):
    user, organisation = team
    application = make_application(organisation=organisation, by_user=user)
    complete_application(application, user)
    return with_conditional_questions(Application.objects.get(pk=application.pk))


def section_data(application, **extra):
    answers = Application.objects.get(pk=application.pk).answers
    data = {"tittel": answers["tittel"], "sammendrag": answers["sammendrag"], "varighet": "24",
            "startdato": answers["startdato"]}  # fmt: skip
    return {**data, **extra}


def test_a_hidden_required_question_does_not_block_the_submit_and_is_left_out_of_what_was_submitted(team, ready):
    user, _organisation = team
    # Not admitted: «nar» applies and is required.
    result = save(ready, user, "om-prosjektet", section_data(ready, opptatt="nei"))
    assert not result.rejected
    check = submission_check(Application.objects.get(pk=ready.pk))
    assert [(item.section_key, item.question_key) for item in check.items] == [("om-prosjektet", "nar")]
    # Typed, then admitted after all: the date stays in the draft, the question no longer applies.
    save(ready, user, "om-prosjektet", section_data(ready, opptatt="nei", nar="01.09.2027"))
    save(ready, user, "om-prosjektet", section_data(ready, opptatt="ja", nar="01.09.2027"))
    draft = Application.objects.get(pk=ready.pk)
    assert draft.answers["nar"] == "2027-09-01" and draft.answers["opptatt"] is True
    assert submission_check(draft).items == []
    version = application_submit(application_id=ready.pk, by_user=user, now=draft.deadline)
    assert "nar" not in version.content["answers"] and version.content["answers"]["opptatt"] is True
    assert Application.objects.get(pk=ready.pk).answers["nar"] == "2027-09-01"  # kept in the draft
    labels = [row["label"] for block in receipt_context(version=version)["sections"] for row in block["rows"]]
    assert "Kandidaten er tatt opp" in labels and "Når søker kandidaten opptak?" not in labels


def test_a_hidden_question_is_not_validated_when_a_section_is_saved(team, ready):
    user, _organisation = team
    result = save(ready, user, "om-prosjektet", section_data(ready, opptatt="ja", nar="ikke en dato"))
    assert result.rejected == [] and result.form.hidden_keys == {"nar"}
    application = Application.objects.get(pk=ready.pk)
    assert "nar" not in application.pending_input
    result = save(ready, user, "om-prosjektet", section_data(ready, opptatt="nei", nar="ikke en dato"))
    assert result.rejected == ["nar"]


def test_the_section_page_hides_what_does_not_apply_and_shows_it_after_saving_without_javascript(client, team, ready):
    user, _organisation = team
    client.force_login(user)
    url = reverse("application-section", args=[ready.pk, "om-prosjektet"])
    save(ready, user, "om-prosjektet", section_data(ready, opptatt="ja"))
    page = client.get(url).text
    assert '<div data-question="nar" hidden>' in page
    assert '<div data-question="opptatt">' in page
    response = client.post(url, {**section_data(ready, opptatt="nei"), "base_version": "2"}, follow=True)
    assert response.status_code == 200
    assert '<div data-question="nar">' in response.text
    assert "Trykk «Lagre» for å se spørsmålene som gjelder" in response.text  # in <noscript>


def test_the_background_save_says_which_questions_apply(client, team, ready):
    user, _organisation = team
    client.force_login(user)
    url = reverse("application-section", args=[ready.pk, "om-prosjektet"])
    version = Application.objects.get(pk=ready.pk).section_version("om-prosjektet")
    response = client.post(url, {**section_data(ready, opptatt="nei"), "base_version": str(version)},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert 'data-applies="tittel sammendrag startdato varighet opptatt nar"' in response.text
    response = client.post(url, {**section_data(ready, opptatt="ja"), "base_version": str(version + 1)},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert 'data-applies="tittel sammendrag startdato varighet opptatt"' in response.text


def test_a_section_that_does_not_apply_is_marked_on_the_overview(client, team, ready):
    user, _organisation = team
    save(ready, user, "om-prosjektet", section_data(ready, opptatt="ja"))
    application = Application.objects.get(pk=ready.pk)
    definition = application.form["definition"]
    definition["sections"][1]["condition"] = {
        "match": "all", "terms": [{"fact": "organisation-kind", "op": "one-of", "values": ["forskning"]}],
    }  # fmt: skip
    application.form = {**application.form, "definition": definition}
    application.save(update_fields=["form"])
    client.force_login(user)
    text = visible_text(client.get(reverse("application-detail", args=[ready.pk])).text)
    assert "Gjelder ikke for denne søknaden" in text
    assert submission_check(application).items == []  # its questions are not required either
    version = application_submit(application_id=ready.pk, by_user=user, now=application.deadline)
    hidden_keys = {q["key"] for q in definition["sections"][1]["questions"]}
    assert not hidden_keys & set(version.content["answers"])
    assert ApplicationVersion.objects.get(pk=version.pk).application.state == State.SUBMITTED


@pytest.mark.parametrize(("below", "asked"), [(50, False), (50.1, True)])
def test_a_question_asked_when_own_funding_is_below_a_share_reads_the_budget(team, ready, below, asked):
    """The complete budget has own funding of exactly 50 % of the costs."""
    application = Application.objects.get(pk=ready.pk)
    definition = application.form["definition"]
    definition["sections"][0]["questions"].append({
        "key": "begrunnelse", "type": "long-text", "label": {"nb": "Hvorfor så lite egenfinansiering?"},
        "required": True, "params": {"max_chars": 500},
        "condition": {"match": "all", "terms": [{"fact": "own-funding-share", "op": "lt", "value": below}]},
    })  # fmt: skip
    application.form = {**application.form, "definition": definition}
    application.save(update_fields=["form"])
    save(ready, team[0], "om-prosjektet", section_data(ready, opptatt="ja"))
    missing = [item.question_key for item in submission_check(Application.objects.get(pk=ready.pk)).items]
    assert missing == (["begrunnelse"] if asked else [])
