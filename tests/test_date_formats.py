"""Dates are written day first in every language: «1 September 2027, 13:00» in English (Django's own
English is American, «Sept. 1, 2027, 1 p.m.»), «01.09.2027 kl. 13:00» in bokmål and nynorsk."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.urls import reverse
from django.utils import formats, translation

from tests.factories import CallFactory, make_application
from tests.html import visible_text

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
OPENS = datetime(2027, 8, 3, 9, 0, tzinfo=OSLO)
CLOSES = datetime(2027, 9, 1, 13, 0, tzinfo=OSLO)
TODAY = datetime(2027, 8, 20, 10, 0, tzinfo=OSLO)  # the call is open
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_FIRST = re.compile(rf"\b(?:{MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{{1,2}}\b"
                         r"|\b\d{1,2}/\d{1,2}/\d{4}\b|\b[ap]\.m\.")  # fmt: skip


@pytest.mark.parametrize(
    ("language", "long_date", "short_date", "moment", "short_moment"),
    [
        ("en", "1 September 2027", "01.09.2027", "1 September 2027, 13:00", "01.09.2027, 13:00"),
        ("nb", "1. september 2027", "01.09.2027", "01.09.2027 kl. 13:00", "01.09.2027 kl. 13:00"),
        ("nn", "1. september 2027", "01.09.2027", "01.09.2027 kl. 13:00", "01.09.2027 kl. 13:00"),
    ],
)
def test_each_language_writes_the_day_before_the_month(language, long_date, short_date, moment, short_moment):
    with translation.override(language):
        assert formats.date_format(date(2027, 9, 1)) == long_date
        assert formats.date_format(date(2027, 9, 1), "SHORT_DATE_FORMAT") == short_date
        assert formats.date_format(CLOSES, "DATETIME_FORMAT") == moment
        assert formats.date_format(CLOSES, "SHORT_DATETIME_FORMAT") == short_moment
        assert formats.time_format(CLOSES) == "13:00"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


def test_an_english_form_reads_a_date_day_first():
    field = forms.DateField(localize=True)  # as the admin's date fields read what is typed
    with translation.override("en"):
        assert field.clean("01/09/2027") == field.clean("01.09.2027") == date(2027, 9, 1)


def in_english(client, user=None):
    if user:
        client.force_login(user)
    client.cookies["django_language"] = "en"


@time_machine.travel(TODAY, tick=False)
def test_the_english_scheme_page_gives_the_call_s_dates_day_first(client):
    call = CallFactory(opens_at=OPENS, closes_at=CLOSES)
    in_english(client)
    response = client.get(reverse("scheme-detail", args=[call.scheme.slug]))
    assert response.status_code == 200 and response["Content-Language"] == "en"
    text = visible_text(response)
    assert "Opens 3 August 2027, 09:00" in text
    assert "Application deadline 1 September 2027, 13:00" in text
    assert not MONTH_FIRST.findall(text), MONTH_FIRST.findall(text)


@time_machine.travel(TODAY, tick=False)
def test_the_english_application_page_gives_the_deadline_day_first(client):
    application = make_application(opens_at=OPENS, closes_at=CLOSES)
    in_english(client, application.created_by)
    response = client.get(reverse("application-detail", args=[application.pk]))
    assert response.status_code == 200 and response["Content-Language"] == "en"
    text = visible_text(response)
    assert "Application deadline 1 September 2027, 13:00" in text
    assert "Last changed 20 August 2027, 10:00" in text
    assert not MONTH_FIRST.findall(text), MONTH_FIRST.findall(text)
