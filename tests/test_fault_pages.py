"""The portal's own 500 and 503 pages (issue 18), in the person's language, rendered without the
database: a fault in a view is a 500 page that does not claim to know what was saved; a database
that does not answer is a 503 with Retry-After."""

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path

from tests.html import visible_text


def broken(request):
    raise ValueError("a bug")


def database_gone(request):
    raise OperationalError("connection refused")


urlpatterns = [path("feil/", broken), path("db/", database_gone)]
urlpatterns += __import__("portal.urls", fromlist=["urlpatterns"]).urlpatterns
handler500 = "portal.views.server_error"

TEXTS = {
    "nb": ("Noe gikk galt hos oss", "Portalen er utilgjengelig en kort stund"),
    "nn": ("Noko gjekk gale hos oss", "Portalen er utilgjengeleg ei kort stund"),
    "en": ("Something went wrong on our side", "The portal is unavailable for a short while"),
}


@pytest.fixture
def client_seeing_errors():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_is_the_portals_500_page_in_the_persons_language(client_seeing_errors, language):
    client_seeing_errors.cookies["django_language"] = language
    response = client_seeing_errors.get("/feil/")
    assert response.status_code == 500
    assert TEXTS[language][0] in visible_text(response)
    assert f'lang="{language}"' in response.text


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@override_settings(ROOT_URLCONF=__name__)
def test_a_database_that_does_not_answer_is_a_503_with_retry_after(client_seeing_errors, language):
    client_seeing_errors.cookies["django_language"] = language
    response = client_seeing_errors.post("/db/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert TEXTS[language][1] in visible_text(response)
