"""Date and time fields are typed and shown the Norwegian way, on the server and without JavaScript:
a date as dd.mm.åååå (never the stored 2027-09-01), a time as 13:00 (never 13:00:00), and «kl. 13:00»
is understood — in the applicant's form, the officers' queue and the admin where calls are edited."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.contrib.admin import widgets
from django.urls import reverse
from django.utils import translation

from applications.formdef.fields import NorwegianDateField
from casework.forms import BulkActionForm
from schemes.admin import DeadlineField
from tests.factories import CallFactory, SuperuserFactory
from tests.html import select
from tests.otp import force_login_verified

OSLO = ZoneInfo("Europe/Oslo")
LANGUAGES = ["nb", "nn", "en"]


def input_values(html: str) -> dict[str, str]:
    return {element.get("name"): element.get("value") for element in select(html, "input")}


class DateForm(forms.Form):
    when = NorwegianDateField()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_stored_iso_date_is_shown_day_first(language):
    """Answers are stored as ISO dates; the field shows them as they are typed."""
    with translation.override(language):
        html = str(DateForm(initial={"when": "2027-09-01"})["when"])
    assert input_values(html)["when"] == "01.09.2027"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_queues_due_date_is_typed_and_shown_day_first_without_a_native_picker(language):
    with translation.override(language):
        form = BulkActionForm(row_ids=[1])
        form.initial["frist"] = date(2027, 9, 1)
        html = str(form["frist"])
        assert 'type="date"' not in html  # typed as text: no browser needed to read 01.09.2027
        assert input_values(html)["frist"] == "01.09.2027"
        bound = BulkActionForm({"handling": "tildel", "frist": "01.09.2027", "soknad": ["1"]}, row_ids=[1])
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data["frist"] == date(2027, 9, 1)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", ["kl. 14:30", "Kl. 14:30", "14:30", "14.30", "kl. 14.30"])
def test_the_admins_deadline_reads_kl(language, typed):
    field = DeadlineField(widget=widgets.AdminSplitDateTime)
    with translation.override(language):
        moment = field.clean(["01.09.2027", typed])
    assert moment.astimezone(OSLO) == datetime(2027, 9, 1, 14, 30, tzinfo=OSLO)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admins_call_page_shows_the_date_and_time_the_norwegian_way(client, language):
    opens, closes = datetime(2027, 8, 3, 9, 0, tzinfo=OSLO), datetime(2027, 9, 1, 13, 0, tzinfo=OSLO)
    call = CallFactory(opens_at=opens, closes_at=closes)
    force_login_verified(client, SuperuserFactory())
    client.cookies["django_language"] = language
    response = client.get(reverse("admin:schemes_call_change", args=[call.pk]))
    assert response.status_code == 200
    values = input_values(response.text)
    assert (values["opens_at_0"], values["opens_at_1"]) == ("03.08.2027", "09:00")
    assert (values["closes_at_0"], values["closes_at_1"]) == ("01.09.2027", "13:00")
    assert not re.search(r"\b2027-0[89]-0[13]\b", response.text.split("<script", 1)[0])
