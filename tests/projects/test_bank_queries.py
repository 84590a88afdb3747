"""The bank's and the API's queries stay cheap at 100 000 projects (tests/bench/test_results_bench.py):
the goal and theme filters are EXISTS subqueries, so a project with several goals or themes is
listed once without a DISTINCT over every row, and the default order has its index."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Project
from schemes.models import SustainableDevelopmentGoal, Theme
from tests.html import visible_text
from tests.projects.helpers import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared():
    goals = list(SustainableDevelopmentGoal.objects.filter(number__in=[3, 11]))
    themes = list(Theme.objects.order_by("pk")[:2])
    make_project(title="Med to mål og to temaer", sdgs=goals, themes=themes)
    make_project(title="Uten mål")
    return goals, themes


@pytest.mark.parametrize("parameter", ["baerekraftsmal", "tema"])
def test_a_project_with_several_goals_or_themes_is_listed_once_without_distinct(client, shared, parameter):
    goals, themes = shared
    value = goals[0].number if parameter == "baerekraftsmal" else themes[0].slug
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("project-bank"), {parameter: value})
    assert "1 prosjekt" in visible_text(response.text)
    assert visible_text(response.text).count("Med to mål og to temaer") == 1
    project_queries = [q["sql"] for q in queries.captured_queries if 'FROM "projects_project"' in q["sql"]]
    assert project_queries and not any("DISTINCT" in sql for sql in project_queries)
    body = client.get(reverse("api-projects"), {parameter: value}).json()
    assert [p["title"] for p in body["results"]] == ["Med to mål og to temaer"]


def test_the_default_order_has_an_index():
    names = {index.name for index in Project._meta.indexes}
    assert "project_bank_newest" in names
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Project._meta.db_table)
    assert constraints["project_bank_newest"]["columns"] == ["decision", "year", "title", "id"]
