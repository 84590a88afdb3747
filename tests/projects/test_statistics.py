"""/statistikk/ through the Django client: the figures count imported history (funded or not), by
year, scheme, fylke and kind of organisation; filters; Norwegian number formats in nb/nn and the
English page; a text alternative and a table per chart; CSV; a pinned query count."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from organisations.models import Municipality
from projects.models import Decision
from tests.factories import OrganisationFactory, SchemeFactory
from tests.html import by_role, table_rows, visible_text
from tests.projects.helpers import make_project

pytestmark = pytest.mark.django_db

URL = reverse("statistics")


@pytest.fixture
def history():
    phd, lab = SchemeFactory(name="Offentlig sektor-ph.d."), SchemeFactory(name="StimuLab")
    oslo, bergen = Municipality.objects.get(number="0301"), Municipality.objects.get(number="4601")
    kommune = OrganisationFactory(kind="kommune", municipality=oslo)
    for year, decision, scheme, place in [
        (2021, Decision.GRANTED, phd, oslo), (2021, Decision.REFUSED, phd, oslo),
        (2022, Decision.GRANTED, lab, bergen), (2022, Decision.GRANTED, lab, bergen),
        (2022, Decision.REFUSED, lab, bergen),
    ]:  # fmt: skip
        granted = Decimal(1_250_000) if decision == Decision.GRANTED else None
        make_project(year=year, decision=decision, scheme=scheme, municipality=place, organisation=kommune,
                     amount_applied=Decimal(1_500_000), amount_granted=granted)  # fmt: skip
    return {"phd": phd, "lab": lab}


def test_the_tables_count_applications_and_grants_with_norwegian_numbers(client, history):
    response = client.get(URL)
    assert response.status_code == 200
    header = ["Gruppe", "Søknader", "Tilskudd", "Tilslag", "Søkt", "Innvilget"]
    assert table_rows(response.text, "Søknader og tilskudd per år (tabell)") == [
        header,
        ["2021", "2", "1", "50 %", "3 000 000 kr", "1 250 000 kr"],
        ["2022", "3", "2", "66,7 %", "4 500 000 kr", "2 500 000 kr"],
    ]
    by_scheme = table_rows(response.text, "Søkt og innvilget beløp per ordning (tabell)")
    assert [row[:3] for row in by_scheme[1:]] == [["Offentlig sektor-ph.d.", "2", "1"], ["StimuLab", "3", "2"]]
    by_county = table_rows(response.text, "Tilskudd per fylke (tabell)")
    assert {row[0] for row in by_county[1:]} == {"Oslo", "Vestland"}
    by_kind = table_rows(response.text, "Søknader og tilskudd per type virksomhet (tabell)")
    assert by_kind[1][:3] == ["Kommune", "5", "3"]


def test_each_chart_is_an_svg_image_with_a_title_and_a_text_alternative(client, history):
    response = client.get(URL)
    images = by_role(response.text, "img")
    assert len(images) == 7  # the six tables' charts and the benefits' (none in this history)
    for svg in images:
        assert svg.tag.endswith("svg") and svg.find(".//{*}title") is not None
    for svg in images[:6]:
        assert "står i tabellen" in (svg.find(".//{*}desc").text or "")
    assert (images[6].find(".//{*}desc").text or "") == "Ingen tall for dette utvalget."
    assert "Høyest «tilskudd»: 2022 med 2." in visible_text(response.text)


def test_filters_by_scheme_and_years(client, history):
    rows = table_rows(client.get(URL, {"ordning": history["lab"].slug}).text, "Søknader og tilskudd per år (tabell)")
    assert [row[:3] for row in rows[1:]] == [["2022", "3", "2"]]
    rows = table_rows(client.get(URL, {"fra": 2020, "til": 2021}).text, "Søknader og tilskudd per år (tabell)")
    assert [row[0] for row in rows[1:]] == ["2021"]
    response = client.get(URL, {"fra": 2023, "til": 2021})
    assert "«Til år» kan ikke være før «fra år»." in visible_text(response.text, ".ds-error-summary")


def test_english_and_nynorsk_pages(client, history):
    client.cookies["django_language"] = "en"
    response = client.get(URL, headers={"accept-language": "en"})
    rows = table_rows(response.text, "Applications and grants by year (table)")
    assert rows[2][4] == "NOK 4,500,000" or rows[2][4].endswith("4,500,000")
    client.cookies["django_language"] = "nn"
    response = client.get(URL)
    assert table_rows(response.text, "Søknader og tilskot per år (tabell)")[2][3] == "66,7 %"


def test_csv_has_the_same_figures_and_keeps_the_filters(client, history):
    response = client.get(reverse("statistics-csv", args=["ar"]), {"ordning": history["phd"].slug})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["gruppe", "soknader", "tilskudd", "tilslagsprosent", "sokt_belop", "innvilget_belop"],
        ["2021", "2", "1", "50.0", "3000000", "1250000"],
    ]
    assert client.get(reverse("statistics-csv", args=["nope"])).status_code == 404
    page = client.get(URL, {"ordning": history["phd"].slug}).text
    link = by_role(page, "link", "Last ned «Tilskudd per fylke» som CSV")
    assert link[0].get("href") == reverse("statistics-csv", args=["fylke"]) + f"?ordning={history['phd'].slug}"


def test_a_constant_number_of_queries(client, history, django_assert_max_num_queries):
    for n in range(30):
        make_project(title=f"P{n}", year=2000 + n % 20, scheme=SchemeFactory())
    # the scheme choices, three groupings, scheme, county, kommune and goal names; the benefits by kind
    with django_assert_max_num_queries(9):
        assert client.get(URL).status_code == 200


def test_by_kommune_and_by_sustainable_development_goal(client, history):
    from schemes.models import SustainableDevelopmentGoal

    health, cities = SustainableDevelopmentGoal.objects.get(number=3), SustainableDevelopmentGoal.objects.get(number=11)
    make_project(year=2022, sdgs=[health, cities], municipality=Municipality.objects.get(number="5001"))
    make_project(year=2022, sdgs=[health], public_place=False, municipality=Municipality.objects.get(number="1103"))
    response = client.get(URL)
    by_kommune = table_rows(response.text, "Tilskudd per kommune (tabell)")
    assert [row[:3] for row in by_kommune[1:]] == [
        ["Bergen (4601)", "3", "2"], ["Oslo (0301)", "2", "1"],
        ["Trondheim - Tråante (5001)", "1", "1"], ["Ukjent", "1", "1"],
    ]  # fmt: skip
    by_goal = table_rows(response.text, "Søknader og tilskudd per bærekraftsmål (tabell)")
    assert [row[0].split()[0] for row in by_goal[1:]] == ["3", "11", "Uten"]
    assert [row[1:3] for row in by_goal[1:]] == [["2", "2"], ["1", "1"], ["5", "3"]]
    assert "figuren viser de 4 kommunene med flest tilskudd" in visible_text(response.text)
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("statistics-csv", args=["baerekraftsmal"])).content.decode()))
    )
    assert rows[1][:3] == [by_goal[1][0], "2", "2"]
