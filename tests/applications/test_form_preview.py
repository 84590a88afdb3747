"""The preview: the call's form as applicants see it, in the chosen language; answers typed in it are
checked and never stored."""

import pytest

from applications.admin import preview_url
from applications.models import CallForm
from applications.services import call_form_save
from tests.example_forms import FULL_FORM
from tests.factories import CallFactory, SuperuserFactory
from tests.otp import force_login_verified

from .helpers import definition, every_type_definition, question, section

pytestmark = pytest.mark.django_db


def _call_with_form(form=None):
    call = CallFactory(title="Innovasjonsprosjekt 2026")
    call_form_save(call=call, stage=None, definition=form or FULL_FORM, by_user=None)
    return call


def test_the_preview_shows_every_section_and_question_in_the_portal_s_look(client):
    force_login_verified(client, SuperuserFactory())
    call = _call_with_form()
    page = client.get(preview_url(call)).text
    for title in ("Om prosjektet", "Problemstilling og behov", "Gjennomføring", "Partnere", "Budsjett", "Vedlegg"):
        assert f">{title}</h2>" in page
    assert 'class="ds-input"' in page and "Høyst 1\u00a0500 tegn" in page
    assert "Partnerne legges til på en egen side" in page and "Filtyper: PDF. Høyst 10 MB." in page
    assert "ingenting lagres" in page


def test_the_preview_follows_the_chosen_language(client):
    force_login_verified(client, SuperuserFactory())
    call = _call_with_form()
    client.cookies["django_language"] = "nn"
    page = client.get(preview_url(call)).text
    assert "Problemstilling og behov" in page and "Kva behov skal prosjektet løyse?" in page
    client.cookies["django_language"] = "en"
    page = client.get(preview_url(call)).text
    assert "Problem and need" in page and "Which need will the project meet?" in page


def test_answers_are_checked_with_norwegian_messages_and_never_stored(client):
    force_login_verified(client, SuperuserFactory())
    form = definition(section("om", question("belop", "amount", max_amount=1000), question("start", "date")))
    call = _call_with_form(form)
    before = list(CallForm.objects.values())
    response = client.post(preview_url(call), {"om-belop": "5 000", "om-start": "31.02.2026"})
    page = response.text
    assert response.status_code == 200 and "<title>Feil:" in page
    assert "Beløpet kan være høyst 1\u00a0000 kr." in page and 'href="#id_om-belop"' in page
    assert "Skriv datoen som dd.mm.åååå" in page
    assert 'value="5 000"' in page  # as typed
    page = client.post(preview_url(call), {"om-belop": "1 000", "om-start": "22.11.2026"}).text
    assert "Svarene er i orden (de er ikke lagret)." in page
    assert list(CallForm.objects.values()) == before


def test_a_call_without_a_form_previews_as_empty(client):
    force_login_verified(client, SuperuserFactory())
    assert "Skjemaet har ingen deler ennå." in client.get(preview_url(CallFactory())).text


def test_the_preview_has_a_pinned_query_count(client, django_assert_max_num_queries):
    force_login_verified(client, SuperuserFactory())
    call = _call_with_form(every_type_definition())
    many = definition(*(section(f"del-{n}", *(question(f"q-{n}-{m}", "single-choice",
                        choices=[{"value": "a", "label": {"nb": "A"}}, {"value": "b", "label": {"nb": "B"}}])
                        for m in range(8))) for n in range(6)))  # fmt: skip
    call_form_save(call=call, stage=None, definition=many, by_user=None)
    with django_assert_max_num_queries(9):  # session (read, touched), user, device, call, roles, form
        response = client.get(preview_url(call))
    assert response.text.count('type="radio"') == 96
