"""The KPI page, the statistics (kommune and goal tables included) and the open-data documents answer
the same on SQLite (`make run`) as on PostgreSQL."""

import pytest
from django.db import connections
from django.urls import reverse

from schemes.models import SustainableDevelopmentGoal
from tests.databases import using_database
from tests.html import table_rows
from tests.projects.helpers import make_project
from tests.projects.test_kpi import kpi_world

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])


@pytest.fixture(params=["default", "sqlite"], ids=["postgresql", "sqlite"])
def database(request):
    assert connections[request.param].vendor == ("postgresql" if request.param == "default" else "sqlite")
    with using_database(request.param):
        yield request.param


def test_kpis_statistics_and_open_data(client, database):
    kpi_world()
    make_project(year=2023, sdgs=list(SustainableDevelopmentGoal.objects.filter(number__in=[3, 11])))
    response = client.get(reverse("procurement-kpis"))
    assert table_rows(response.text, "Prosesser og virksomheter per region (tabell)")[1:] == [
        ["Østlandet", "1", "0", "3", "1", "3", "0"],
        ["Midt- og Nord-Norge", "0", "1", "1", "0", "0", "1"],
        ["Sør- og Vestlandet", "0", "1", "1", "1", "0", "1"],
    ]
    response = client.get(reverse("statistics"))
    by_goal = table_rows(response.text, "Søknader og tilskudd per bærekraftsmål (tabell)")
    assert [row[0].split()[0] for row in by_goal[1:]] == ["3", "11", "Uten"]
    assert [row[1] for row in table_rows(response.text, "Søknader og tilskudd per år (tabell)")[1:]] == [
        "1", "1", "5", "2",
    ]  # fmt: skip
    assert table_rows(response.text, "Tilskudd per kommune (tabell)")[1][0] == "Bergen (4601)"
    assert client.get(reverse("api-openapi")).status_code == 200
    assert client.get(reverse("api-dcat")).status_code == 200
