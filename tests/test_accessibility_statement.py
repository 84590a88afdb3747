"""The accessibility statement is named correctly in each language: heading, page title and the
footer link that leads to it (nynorsk: «Tilgjengelegheitserklæring»)."""

import pytest
from django.urls import reverse

from tests.html import texts

pytestmark = pytest.mark.django_db

NAMES = {"nb": "Tilgjengelighetserklæring", "nn": "Tilgjengelegheitserklæring", "en": "Accessibility statement"}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_statement_is_named_in_each_language(client, language):
    client.cookies["django_language"] = language
    response = client.get(reverse("accessibility-statement"))
    assert response.status_code == 200 and response["Content-Language"] == language
    assert texts(response, "h1") == [NAMES[language]]
    assert texts(response, "title")[0].startswith(NAMES[language])
    assert NAMES[language] in texts(response, "footer")[0]


# --- what the regulation asks the statement to contain --------------------------------------------
from datetime import timedelta  # noqa: E402

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.models import AccessibilityDeviation, AccessibilityReview  # noqa: E402
from tests.factories import SuperuserFactory  # noqa: E402
from tests.html import has_link, visible_text  # noqa: E402
from tests.otp import force_login_verified  # noqa: E402

PARTIAL = {"nb": "Delvis i samsvar", "nn": "Delvis i samsvar", "en": "Partially compliant"}
COMPLIANT = {"nb": "I samsvar", "nn": "I samsvar", "en": "Compliant"}
LAST_TESTED = {"nb": "Sist testet", "nn": "Sist testa", "en": "Last tested"}
WHERE = {"nb": "Søknadsskjemaet", "nn": "Søknadsskjemaet (nn)", "en": "The application form"}


def deviation(**fields):
    return AccessibilityDeviation.objects.create(
        criterion="1.4.10 Dynamisk tilpasning",
        where="Søknadsskjemaet",
        where_nn="Søknadsskjemaet (nn)",
        where_en="The application form",
        description="Tabellen er for bred.",
        **fields,
    )


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_statement_has_what_the_regulation_asks(client, language, django_assert_num_queries):
    AccessibilityReview.objects.all().delete()
    tested = timezone.localdate() - timedelta(days=10)
    AccessibilityReview.objects.create(tested_on=tested - timedelta(days=300), method="Gammel test.")
    AccessibilityReview.objects.create(tested_on=tested, method="Axe og tastatur.", method_en="Axe and keyboard.")
    fixed_by = timezone.localdate() + timedelta(days=40)
    deviation(fixed_by=fixed_by)
    AccessibilityDeviation.objects.create(criterion="2.4.7 Synlig fokus", where="Forsiden", description="x", fixed=True)
    client.cookies["django_language"] = language
    with django_assert_num_queries(2):  # the open deviations, the latest review
        response = client.get(reverse("accessibility-statement"))  # open to anyone
    assert response.status_code == 200
    text = visible_text(response.text)
    assert PARTIAL[language] in text
    assert "1.4.10 Dynamisk tilpasning" in text and WHERE[language] in text
    assert "2.4.7" not in text  # fixed deviations leave the statement
    assert f"{fixed_by:%d.%m.%Y}" in text  # when it is fixed, as people write dates
    assert f"{LAST_TESTED[language]} {tested:%d.%m.%Y}" in text
    assert ("Axe and keyboard." if language == "en" else "Axe og tastatur.") in text
    assert "Gammel test." not in text
    email = settings.ACCESSIBILITY_CONTACT_EMAIL
    assert has_link(response.text, email, f"mailto:{email}")
    assert has_link(response.text, "www.uutilsynet.no", "https://www.uutilsynet.no/")


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_without_open_deviations_the_statement_says_it_complies(client, language):
    deviation(fixed=True)
    client.cookies["django_language"] = language
    text = visible_text(client.get(reverse("accessibility-statement")).text)
    assert COMPLIANT[language] in text and PARTIAL[language] not in text


def test_an_admin_records_a_deviation_in_the_admin(client):
    force_login_verified(client, SuperuserFactory())
    response = client.post(
        reverse("admin:portal_accessibilitydeviation_add"),
        {
            "criterion": "1.3.1 Informasjon og relasjoner",
            "where": "Rapportene",
            "where_nn": "",
            "where_en": "The reports",
            "description": "Overskriftene mangler.",
            "description_nn": "",
            "description_en": "",
            "fixed_by": (timezone.localdate() + timedelta(days=30)).strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 302, response.text
    assert AccessibilityDeviation.objects.get().where_en == "The reports"
    assert "Rapportene" in visible_text(client.get(reverse("accessibility-statement")).text)
