"""/kalender.ics and /api/v1/calls(.csv): the catalogue's filters, parsed back, 400 on bad filters."""

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from organisations.models import OrganisationKind as K
from schemes.models import SustainableDevelopmentGoal, Theme
from tests.factories import AgencyFactory, CallFactory, SchemeFactory
from tests.schemes.helpers import set_applicant_kinds

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
ICS, API, CSV = reverse("calls-calendar"), reverse("api-calls"), reverse("api-calls-csv")


def events(response):
    assert response.status_code == 200, response.content
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def calls():
    now = timezone.now()
    agency = AgencyFactory(name="Innovasjon Norge")
    partnership = SchemeFactory(name="Innovasjonspartnerskap", agencies=[agency])
    set_applicant_kinds(partnership, "kommune")
    return {
        "open": CallFactory(
            scheme=partnership,
            title="Runde 1",
            opens_at=now - timedelta(days=30),
            closes_at=datetime(2099, 11, 22, 12, 0, tzinfo=UTC),
        ),
        "upcoming": CallFactory(
            scheme=SchemeFactory(name="StimuLab"),
            title="Høst",
            min_amount=None,
            max_amount=None,
            opens_at=now + timedelta(days=10),
            closes_at=datetime(2099, 6, 1, 11, 0, tzinfo=UTC),
        ),
        "closed": CallFactory(
            scheme=SchemeFactory(name="PCP"),
            title="Gammel",
            opens_at=now - timedelta(days=100),
            closes_at=now - timedelta(days=1),
        ),
        "archived": CallFactory(scheme=SchemeFactory(name="StartOff", is_active=False), title="Siste"),
        "agency": agency,
    }


# --- iCalendar ----------------------------------------------------------------------------------
def test_calendar_has_the_open_and_upcoming_deadlines_in_oslo_time(client, calls):
    response = client.get(ICS)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    found = events(response)
    assert set(found) == {"Søknadsfrist: Innovasjonspartnerskap – Runde 1", "Søknadsfrist: StimuLab – Høst"}
    event = found["Søknadsfrist: Innovasjonspartnerskap – Runde 1"]
    end = event.decoded("dtend")
    assert end == datetime(2099, 11, 22, 13, 0, tzinfo=OSLO)  # winter: UTC+1
    assert str(end.tzinfo) == "Europe/Oslo"
    assert event.decoded("dtstart") == end - timedelta(hours=1)
    summer = found["Søknadsfrist: StimuLab – Høst"].decoded("dtend")
    assert (summer.hour, summer.utcoffset()) == (13, timedelta(hours=2))  # summer: UTC+2
    assert event["uid"] == f"utlysning-{calls['open'].pk}@innovasjonsportalen.no"
    assert "22.11.2099 kl. 13:00" in str(event["description"])
    assert event.walk("VALARM")
    assert b"BEGIN:VTIMEZONE" in response.content and b"TZID:Europe/Oslo" in response.content


def test_calendar_uids_are_stable(client, calls):
    first = {str(e["uid"]) for e in events(client.get(ICS)).values()}
    second = {str(e["uid"]) for e in events(client.get(ICS, HTTP_HOST="localhost")).values()}
    assert first == second


def test_calendar_takes_the_catalogue_filters(client, calls):
    assert set(events(client.get(ICS, {"soker": "kommune", "status": "apen"}))) == {
        "Søknadsfrist: Innovasjonspartnerskap – Runde 1"
    }
    assert set(events(client.get(ICS, {"soker": "bedrift"}))) == {"Søknadsfrist: StimuLab – Høst"}  # no kind rule
    assert set(events(client.get(ICS, {"status": "kommende"}))) == {"Søknadsfrist: StimuLab – Høst"}
    assert set(events(client.get(ICS, {"forvalter": calls["agency"].org_number}))) == {
        "Søknadsfrist: Innovasjonspartnerskap – Runde 1"
    }
    assert set(events(client.get(ICS, {"q": "stimulab"}))) == {"Søknadsfrist: StimuLab – Høst"}
    assert "Søknadsfrist: StartOff – Siste" in events(client.get(ICS, {"arkiverte": "true"}))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"belop_fra": "-1"}, "belop_fra: Beløpet kan ikke være negativt."),
        ({"belop_til": "10 000 000 000 000"}, "belop_til: Beløpet kan være høyst"),
        ({"belop_til": "1e13"}, "belop_til: Skriv beløpet som et tall"),  # no exponents, as in the check
        ({"soker": "romvesen"}, "soker: Velg et gyldig valg."),
        ({"status": "alltid"}, "status: Velg et gyldig valg."),
    ],
)
def test_calendar_with_a_bad_filter_is_a_plain_400(client, params, message):
    response = client.get(ICS, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("Ugyldig filter:")
    assert message in response.text


# --- JSON API -----------------------------------------------------------------------------------
def test_api_lists_calls_with_their_scheme(client, calls):
    theme = Theme.objects.create(slug="helse", name="Helse")
    calls["open"].scheme.themes.add(theme)
    calls["open"].scheme.sdgs.add(SustainableDevelopmentGoal.objects.get(number=3))
    response = client.get(API)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["count"] == 3  # open, upcoming and closed of active schemes
    assert [row["title"] for row in body["results"]] == ["Gammel", "Høst", "Runde 1"]
    row = body["results"][2]
    assert row["status"] == "apen"
    assert row["closes_at"] == "2099-11-22T13:00:00+01:00"
    assert row["min_amount"] == 100_000 and row["max_amount"] == 2_000_000
    assert row["portal_url"] == "http://testserver/ordninger/" + calls["open"].scheme.slug + "/"
    assert row["scheme"]["name"] == "Innovasjonspartnerskap"
    assert row["scheme"]["agencies"] == [{"name": "Innovasjon Norge", "org_number": calls["agency"].org_number}]
    assert row["scheme"]["themes"] == ["helse"]
    assert row["scheme"]["sdgs"] == [3]
    assert row["scheme"]["applicant_kinds"] == ["kommune"]
    assert body["results"][1]["scheme"]["applicant_kinds"] is None
    assert body["results"][1]["min_amount"] is None


def test_api_filters_like_the_catalogue(client, calls):
    titles = lambda params: [row["title"] for row in client.get(API, params).json()["results"]]  # noqa: E731
    assert titles({"status": "stengt"}) == ["Gammel"]
    assert titles({"status": "apen", "soker": K.KOMMUNE}) == ["Runde 1"]
    assert titles({"belop_fra": "3000000"}) == ["Høst"]  # no amounts: matches any range
    assert titles({"q": "innovasjonspartnerskapet"}) == ["Runde 1"]


def test_api_pagination_with_links(client):
    scheme = SchemeFactory()
    for number in range(7):
        CallFactory(scheme=scheme, title=f"U{number}", closes_at=timezone.now() + timedelta(days=number + 1))
    first = client.get(API, {"per_side": "3", "status": "apen"}).json()
    assert (first["count"], first["page"], first["page_size"]) == (7, 1, 3)
    assert [r["title"] for r in first["results"]] == ["U0", "U1", "U2"]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/calls?per_side=3&status=apen&side=2"
    last = client.get(first["next"]).json()
    last = client.get(last["next"]).json()
    assert [r["title"] for r in last["results"]] == ["U6"]
    assert last["next"] is None and last["previous"].endswith("side=2")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"per_side": "201"}, "per_side"),
        ({"per_side": "0"}, "per_side"),
        ({"side": "-1"}, "side"),
        ({"side": "to"}, "side"),
        ({"side": "99"}, "side"),
        ({"belop_fra": "abc"}, "belop_fra"),
        ({"belop_til": "-10"}, "belop_til"),
        ({"tema": "ukjent"}, "tema"),
    ],
)
def test_api_bad_input_is_a_json_400_in_norwegian(client, params, field):
    response = client.get(API, params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Ugyldig filter."
    assert body["fields"][field]


# --- CSV ----------------------------------------------------------------------------------------
def test_csv_with_bom_header_and_semicolons(client, calls):
    for response in (client.get(CSV), client.get(API, {"format": "csv"})):
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert [row["title"] for row in rows] == ["Gammel", "Høst", "Runde 1"]
        assert rows[2]["closes_at"] == "2099-11-22T13:00:00+01:00"
        assert rows[2]["agencies"] == "Innovasjon Norge"
        assert rows[2]["applicant_kinds"] == "kommune"
        assert rows[1]["min_amount"] == ""


def test_csv_bad_filter_is_a_400(client):
    assert client.get(CSV, {"belop_fra": "-1"}).status_code == 400


# --- query counts -------------------------------------------------------------------------------
@pytest.fixture
def many_calls():
    agencies = [AgencyFactory() for _ in range(3)]
    themes = [Theme.objects.create(slug=f"tema-{n}", name=f"Tema {n}") for n in range(3)]
    goals = list(SustainableDevelopmentGoal.objects.all()[:3])
    now = timezone.now()
    for _ in range(60):
        scheme = SchemeFactory(agencies=agencies[:2])
        scheme.themes.set(themes[:2])
        scheme.sdgs.set(goals[:2])
        set_applicant_kinds(scheme, "kommune")
        CallFactory(scheme=scheme)
        CallFactory(scheme=scheme, opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=50))
        CallFactory(scheme=scheme, opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=2))


def test_calendar_query_count(client, many_calls, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert len(events(client.get(ICS, {"soker": "kommune", "q": "ordning"}))) == 120


def test_api_query_count(client, many_calls, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):  # count, page, agencies, themes, sdgs, kinds
        assert len(client.get(API, {"per_side": "200", "soker": "kommune"}).json()["results"]) == 180
    with django_assert_max_num_queries(5):
        assert client.get(CSV).content.count(b"\r\n") == 181
