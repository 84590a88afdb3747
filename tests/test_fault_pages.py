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


# --- whether what was sent was saved (portal/faults.py) -------------------------------------------


def _heartbeat(name):
    from django.utils import timezone

    from portal.models import Heartbeat

    return Heartbeat.objects.create(name=name, seen_at=timezone.now(), count=1)


def saved_then_database_gone(request):
    _heartbeat("saved")  # autocommit: stored at once
    raise OperationalError("server closed the connection unexpectedly")


def rolled_back_then_database_gone(request):
    from django.db import transaction

    with transaction.atomic():
        _heartbeat("rolled back")
        raise OperationalError("server closed the connection unexpectedly")


def committed_transaction_then_bug(request):
    from django.db import transaction

    with transaction.atomic():
        _heartbeat("committed")
    raise ValueError("a bug after the commit")


urlpatterns += [
    path("lagret/", saved_then_database_gone),
    path("rullet/", rolled_back_then_database_gone),
    path("etter/", committed_transaction_then_bug),
]

NOT_SAVED = "Det du sendte nå, ble ikke lagret."
SAVED = "Det du sendte nå, ble lagret,"


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.django_db(transaction=True)
def test_a_post_that_stored_nothing_before_the_outage_is_told_it_was_not_saved(client_seeing_errors):
    response = client_seeing_errors.post("/db/")
    assert response.status_code == 503
    text = visible_text(response)
    assert NOT_SAVED in text
    assert SAVED not in text


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.django_db(transaction=True)
def test_a_write_rolled_back_by_the_outage_is_not_called_saved(client_seeing_errors):
    from portal.models import Heartbeat

    response = client_seeing_errors.post("/rullet/")
    assert response.status_code == 503
    assert NOT_SAVED in visible_text(response)
    assert not Heartbeat.objects.exists()


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.django_db(transaction=True)
def test_a_post_whose_write_committed_is_told_it_was_saved(client_seeing_errors):
    from portal.models import Heartbeat

    response = client_seeing_errors.post("/lagret/")
    assert response.status_code == 503
    assert SAVED in visible_text(response)
    assert NOT_SAVED not in visible_text(response)
    assert Heartbeat.objects.filter(name="saved").exists()


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.django_db(transaction=True)
def test_a_bug_after_a_committed_transaction_is_a_500_that_says_it_was_saved(client_seeing_errors):
    response = client_seeing_errors.post("/etter/")
    assert response.status_code == 500
    assert SAVED in visible_text(response)


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_that_cannot_write_says_nothing_about_saving(client_seeing_errors):
    response = client_seeing_errors.get("/db/")
    assert response.status_code == 503
    text = visible_text(response)
    assert NOT_SAVED not in text and SAVED not in text


@pytest.mark.django_db(transaction=True)
def test_a_session_the_database_cannot_load_is_logged_as_the_outage_itself(client_seeing_errors, caplog):
    """Django's store logged «no attribute '_session_cache'» first, hiding the OperationalError."""
    import logging

    from django.db import connection

    from tests.factories import UserFactory

    client_seeing_errors.force_login(UserFactory())
    assert type(client_seeing_errors.session).__module__ == "portal.sessions"

    def database_gone(execute, sql, params, many, context):
        raise OperationalError("could not connect to server: Connection refused")

    with caplog.at_level(logging.ERROR, logger="django.request"), connection.execute_wrapper(database_gone):
        response = client_seeing_errors.post("/min-side/", {"x": "1"})

    assert response.status_code == 503
    assert NOT_SAVED in visible_text(response)
    logged = "\n".join(logging.Formatter().formatException(r.exc_info) for r in caplog.records if r.exc_info)
    assert "OperationalError: could not connect to server" in logged
    assert "has no attribute '_session_cache'" not in logged
    assert "During handling of the above exception" not in logged
