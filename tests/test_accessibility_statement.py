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
