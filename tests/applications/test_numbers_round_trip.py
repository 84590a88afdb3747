"""A number an applicant typed is shown back as a number the form accepts again, in every language:
«Varighet (måneder)» 30 used to come back as «3E+1» and be refused as «Skriv et tall», so the
application could never be sent."""

import pytest
from django.urls import reverse

from applications.models import Application
from tests.applications.helpers import complete_application, definition, question, section
from tests.factories import call_with_form, make_application
from tests.html import one

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "nn", "en"]
ALL_CLEAR = {"nb": "Alt er klart. Søknaden kan sendes inn.", "nn": "Alt er klart. Søknaden kan sendast inn.",
             "en": "Everything is ready. The application can be submitted."}  # fmt: skip


def shown_value(client, url: str, name: str) -> str:
    """The value the page's text field ``name`` holds, as the browser shows it."""
    response = client.get(url)
    assert response.status_code == 200
    return one(response, f'input[name="{name}"]').get("value", "")


def save(client, url: str, data: dict) -> None:
    version = shown_value(client, url, "base_version")
    response = client.post(url, {**data, "base_version": version})
    assert response.status_code == 302, "the section was not saved"


def in_language(client, user, language):
    client.force_login(user)
    client.cookies["django_language"] = language


@pytest.mark.parametrize("language", LANGUAGES)
def test_duration_30_is_shown_as_30_and_the_application_is_ready_to_send(client, private_storage, language):
    application = make_application()
    complete_application(application, application.created_by)
    in_language(client, application.created_by, language)
    url = reverse("application-section", args=[application.pk, "om-prosjektet"])
    typed = {name: shown_value(client, url, name) for name in ("tittel", "startdato")}
    typed["sammendrag"] = Application.objects.get(pk=application.pk).answers["sammendrag"]

    save(client, url, {**typed, "varighet": "30"})
    assert shown_value(client, url, "varighet") == "30"
    save(client, url, {**typed, "varighet": shown_value(client, url, "varighet")})  # saved again as shown
    assert Application.objects.get(pk=application.pk).answers["varighet"] == "30"

    check = client.get(reverse("application-check", args=[application.pk])).text
    assert ALL_CLEAR[language] in check and "#id_varighet" not in check


# What the applicant types, what the page then shows in each language, and the number kept.
ROUND_TRIPS = [
    ("30", {"nb": "30", "en": "30"}, "30"),
    ("100", {"nb": "100", "en": "100"}, "100"),
    ("1000000", {"nb": "1\xa0000\xa0000", "en": "1\xa0000\xa0000"}, "1000000"),
    ("1 000 000", {"nb": "1\xa0000\xa0000", "en": "1\xa0000\xa0000"}, "1000000"),
    ("2,5", {"nb": "2,5", "en": "2.5"}, "2.5"),
    ("2.5", {"nb": "2,5", "en": "2.5"}, "2.5"),
    ("1234567,25", {"nb": "1\xa0234\xa0567,25", "en": "1\xa0234\xa0567.25"}, "1234567.25"),
    ("0,05", {"nb": "0,05", "en": "0.05"}, "0.05"),
    ("0", {"nb": "0", "en": "0"}, "0"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("typed", "shown", "kept"), ROUND_TRIPS)
def test_a_number_round_trips_save_show_save_in_every_language(client, language, typed, shown, kept):
    form = definition(section("tall", question("antall", "number", decimals=2),
                              question("belop", "amount", required=False)))  # fmt: skip
    application = make_application(call=call_with_form(definition=form))
    in_language(client, application.created_by, language)
    url = reverse("application-section", args=[application.pk, "tall"])

    save(client, url, {"antall": typed, "belop": "1 250 000"})
    first = Application.objects.get(pk=application.pk).answers
    assert first["antall"] == kept and first["belop"] == 1_250_000
    assert shown_value(client, url, "antall") == shown["en" if language == "en" else "nb"]
    assert shown_value(client, url, "belop") == "1\xa0250\xa0000"  # no English comma to be read as decimals

    save(client, url, {"antall": shown_value(client, url, "antall"), "belop": shown_value(client, url, "belop")})
    assert Application.objects.get(pk=application.pk).answers == first


def test_an_answer_stored_with_an_exponent_is_shown_plainly_and_counts_as_answered(client, private_storage):
    application = make_application()
    complete_application(application, application.created_by)
    Application.objects.filter(pk=application.pk).update(
        answers={**Application.objects.get(pk=application.pk).answers, "varighet": "3E+1"}
    )
    in_language(client, application.created_by, "nb")
    assert shown_value(client, reverse("application-section", args=[application.pk, "om-prosjektet"]),
                       "varighet") == "30"  # fmt: skip
    assert ALL_CLEAR["nb"] in client.get(reverse("application-check", args=[application.pk])).text
