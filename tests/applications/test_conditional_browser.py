"""Conditional questions in Chromium: without JavaScript «Lagre» shows the questions that now apply,
keeping what was typed; with JavaScript they appear and disappear as the person answers (saved in the
background), announced in a live region while focus stays put; axe on both."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application
from tests.accessibility import assert_accessible
from tests.browser import log_in
from tests.factories import DEFAULT_PASSWORD, make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMITTED = {"key": "opptatt", "type": "yes-no", "label": {"nb": "Er kandidaten tatt opp?"}, "required": True,
            "params": {}}  # fmt: skip
WHEN = {"key": "nar", "type": "short-text", "label": {"nb": "Når søker kandidaten opptak?"}, "required": True,
        "params": {"max_length": 100},
        "condition": {"match": "all", "terms": [{"question": "opptatt", "op": "equals", "value": False}]}}  # fmt: skip


def conditional_application():
    application = make_application()
    definition = application.form["definition"]
    definition["sections"][0]["questions"] += [ADMITTED, WHEN]
    application.form = {**application.form, "definition": definition}
    application.save(update_fields=["form"])
    return application


def _section(site_url, application):
    return site_url + reverse("application-section", args=[application.pk, "om-prosjektet"])


def test_without_javascript_lagre_shows_the_questions_that_now_apply(page_nojs, page, site_url):
    checker, page = page, page_nojs
    application = conditional_application()
    log_in(page, site_url, application.created_by.email, DEFAULT_PASSWORD)
    page.goto(_section(site_url, application))
    question = page.get_by_label("Når søker kandidaten opptak?")
    assert question.is_hidden()
    page.get_by_label("Prosjekttittel").fill("Uten skript")
    page.get_by_role("group", name="Er kandidaten tatt opp?").get_by_label("Nei").check()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    expect(question).to_be_visible()
    assert page.get_by_label("Prosjekttittel").input_value() == "Uten skript"
    log_in(checker, site_url, application.created_by.email, DEFAULT_PASSWORD)  # axe needs JavaScript
    checker.goto(_section(site_url, application))
    expect(checker.get_by_label("Når søker kandidaten opptak?")).to_be_visible()
    assert_accessible(checker, context="conditional section after Lagre")
    question.fill("Våren 2027")
    page.get_by_role("group", name="Er kandidaten tatt opp?").get_by_label("Ja").check()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert question.is_hidden()
    answers = Application.objects.get().answers
    assert answers["nar"] == "Våren 2027" and answers["opptatt"] is True  # kept in the draft


def test_with_javascript_questions_appear_as_the_person_answers_and_are_announced(page, site_url):
    application = conditional_application()
    log_in(page, site_url, application.created_by.email, DEFAULT_PASSWORD)
    page.goto(_section(site_url, application))
    question = page.get_by_label("Når søker kandidaten opptak?")
    assert question.is_hidden()
    no = page.get_by_role("group", name="Er kandidaten tatt opp?").get_by_label("Nei")
    no.check()
    question.wait_for(state="visible")
    announcement = page.locator("#vilkarstatus")
    assert announcement.get_attribute("aria-live") == "polite"
    assert "Nytt spørsmål: Når søker kandidaten opptak?" in announcement.text_content()
    assert no.evaluate("element => element === document.activeElement")  # focus stays where it was
    assert_accessible(page, context="conditional section, question shown")
    question.fill("Våren 2027")
    page.get_by_role("group", name="Er kandidaten tatt opp?").get_by_label("Ja").check()
    question.wait_for(state="hidden")
    assert "Spørsmålet gjelder ikke lenger: Når søker kandidaten opptak?" in announcement.text_content()
    assert_accessible(page, context="conditional section, question hidden")
    page.reload()
    assert page.get_by_label("Når søker kandidaten opptak?").is_hidden()
    assert Application.objects.get().answers["opptatt"] is True
