"""Open data on projects: /api/v1/projects (JSON, paginated) and .csv with the bank's filters; only
the public parts; a pinned query count."""

import csv
import io

import pytest
from django.urls import reverse

from projects.models import Decision
from projects.services import project_refresh
from schemes.models import SustainableDevelopmentGoal
from tests.factories import SchemeFactory
from tests.projects.helpers import make_project

pytestmark = pytest.mark.django_db

API, CSV = reverse("api-projects"), reverse("api-projects-csv")


def test_the_json_has_the_documented_fields_and_the_bank_filters(client):
    scheme = SchemeFactory()
    goal = SustainableDevelopmentGoal.objects.get(number=11)
    project = make_project(title="Bærekraftige byer", summary="Grønne tak.", scheme=scheme, year=2023, sdgs=[goal],
                           call_title="Utlysning 2023")  # fmt: skip
    make_project(title="Annet", year=2020)
    make_project(title="Avslått", decision=Decision.REFUSED, amount_granted=None)
    body = client.get(API, {"ordning": scheme.slug}).json()
    assert body["count"] == 1 and body["next"] is None
    [row] = body["results"]
    assert row == {
        "id": project.pk, "title": "Bærekraftige byer", "summary": "Grønne tak.", "scheme": scheme.slug,
        "call": "Utlysning 2023", "year": 2023, "granted_amount": 500000,
        "organisation_number": project.organisation.org_number, "organisation_name": project.organisation.name,
        "kommunenummer": project.municipality_id, "fylkesnummer": project.county_id, "sdgs": [11],
        "status": "pagar", "url": "http://testserver" + reverse("project-detail", args=[project.pk]),
    }  # fmt: skip
    assert client.get(API, {"q": "bærekraft"}).json()["count"] == 1
    assert client.get(API).json()["count"] == 2  # the refused project is not published


def test_hidden_parts_are_null_and_bad_filters_are_400(client):
    project = make_project(title="Skjult", summary="Hemmelig")
    project.redacted_summary = project.redacted_place = True
    project_refresh(project=project)
    [row] = client.get(API).json()["results"]
    assert row["summary"] is None and row["kommunenummer"] is None and row["fylkesnummer"] is None
    response = client.get(API, {"belop_fra": "mye"})
    assert response.status_code == 400 and "belop_fra" in response.json()["fields"]
    assert client.get(API, {"side": "0"}).status_code == 400


def test_pages_and_csv(client):
    for n in range(5):
        make_project(title=f"P{n}", year=2020 + n)
    body = client.get(API, {"per_side": 2, "sorter": "eldste"}).json()
    assert [r["title"] for r in body["results"]] == ["P0", "P1"] and body["next"].endswith("side=2")
    response = client.get(CSV, {"ar": 2022})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["title"] for row in rows] == ["P2"] and rows[0]["year"] == "2022"


def test_a_constant_number_of_queries(client, django_assert_max_num_queries):
    goals = list(SustainableDevelopmentGoal.objects.order_by("number")[:3])
    for n in range(30):
        make_project(title=f"P{n}", sdgs=goals, scheme=SchemeFactory())
    with django_assert_max_num_queries(3):  # count, page, goals
        assert len(client.get(API, {"per_side": 25}).json()["results"]) == 25
    with django_assert_max_num_queries(3):
        assert client.get(CSV).status_code == 200
