"""The public project bank through the Django client: anonymous access, what the public sees and
what it does not (the applicant's choice, an officer's redaction), filters, stemmed search, sort,
pagination with shareable URLs and a pinned query count."""

from decimal import Decimal

import pytest
from django.urls import reverse

from organisations.models import Municipality
from projects.models import Decision, ProjectStatus
from projects.services import project_refresh
from schemes.models import SustainableDevelopmentGoal, Theme
from tests.factories import OrganisationFactory, SchemeFactory
from tests.html import by_role, definitions, texts, visible_text
from tests.projects.helpers import make_project

pytestmark = pytest.mark.django_db

BANK = reverse("project-bank")


def titles(response) -> list[str]:
    return texts(response.text, "#resultater h3")


def test_anonymous_visitors_see_the_bank_and_a_project_with_its_public_parts(client):
    partner = OrganisationFactory(name="Partnerkommunen")
    project = make_project(
        title="Velferdsteknologi i hjemmetjenesten", summary="Digitalt tilsyn om natten.",
        results="Færre nattbesøk.", partners=[partner],
    )  # fmt: skip
    response = client.get(BANK)
    assert response.status_code == 200
    assert titles(response) == ["Velferdsteknologi i hjemmetjenesten"]
    response = client.get(reverse("project-detail", args=[project.pk]))
    assert response.status_code == 200
    facts = definitions(response.text)
    assert facts["Eier"].startswith(project.organisation.name)
    assert facts["Innvilget beløp"] == "500 000 kr"
    assert facts["Samarbeidspartnere"] == "Partnerkommunen"
    assert project.municipality.name in facts["Kommune og fylke"]
    text = visible_text(response.text)
    assert "Digitalt tilsyn om natten." in text and "Færre nattbesøk." in text


@pytest.mark.parametrize("way", ["public", "redacted"])
def test_parts_the_applicant_keeps_private_or_an_officer_redacts_are_hidden_but_the_minimum_stays(client, way):
    partner = OrganisationFactory(name="Partnerkommunen")
    project = make_project(
        title="Skjult prosjekt", summary="Hemmelig sammendrag", results="Hemmelige resultater", partners=[partner]
    )
    url = reverse("project-detail", args=[project.pk])
    assert "Hemmelig sammendrag" in visible_text(client.get(url).text)  # shown before
    for part in ("summary", "partners", "place", "results"):
        setattr(project, f"public_{part}", False) if way == "public" else setattr(project, f"redacted_{part}", True)
    project_refresh(project=project)
    response = client.get(url)
    text = visible_text(response.text)
    assert "Hemmelig sammendrag" not in text and "Hemmelige resultater" not in text
    assert "Partnerkommunen" not in text and project.municipality.name not in text
    facts = definitions(response.text)
    assert set(facts) >= {"Eier", "Ordning", "Innvilget beløp"} and "Skjult prosjekt" in text
    assert "Hemmelig" not in visible_text(client.get(BANK).text)
    # the hidden parts cannot be found either: not by search, not by place
    assert titles(client.get(BANK, {"q": "hemmelig"})) == []
    assert titles(client.get(BANK, {"q": "skjult"})) == ["Skjult prosjekt"]
    assert titles(client.get(BANK, {"kommune": project.municipality_id})) == []
    assert titles(client.get(BANK, {"fylke": project.county_id})) == []


def test_refused_projects_are_not_in_the_bank(client):
    refused = make_project(title="Avslått søknad", decision=Decision.REFUSED, amount_granted=None)
    assert titles(client.get(BANK)) == []
    assert client.get(reverse("project-detail", args=[refused.pk])).status_code == 404


def test_the_filters_narrow_the_list_and_the_url_is_shareable(client):
    phd, stimulab = SchemeFactory(name="Offentlig sektor-ph.d."), SchemeFactory(name="StimuLab")
    oslo, bergen = Municipality.objects.get(number="0301"), Municipality.objects.get(number="4601")
    goal = SustainableDevelopmentGoal.objects.get(number=3)
    theme = Theme.objects.create(slug="helse-bank", name="Helse")
    make_project(title="A", scheme=phd, year=2022, municipality=oslo, sdgs=[goal], amount_granted=Decimal(100_000))
    make_project(title="B", scheme=stimulab, year=2023, municipality=bergen, themes=[theme],
                 status=ProjectStatus.COMPLETED, amount_granted=Decimal(2_000_000))  # fmt: skip
    assert titles(client.get(BANK)) == ["B", "A"]  # newest first
    assert titles(client.get(BANK, {"ordning": phd.slug})) == ["A"]
    assert titles(client.get(BANK, {"ar": 2023})) == ["B"]
    assert titles(client.get(BANK, {"fylke": bergen.county_id})) == ["B"]
    assert titles(client.get(BANK, {"kommune": "0301"})) == ["A"]
    assert titles(client.get(BANK, {"baerekraftsmal": 3})) == ["A"]
    assert titles(client.get(BANK, {"tema": "helse-bank"})) == ["B"]
    assert titles(client.get(BANK, {"status": "avsluttet"})) == ["B"]
    assert titles(client.get(BANK, {"belop_fra": "1 000 000"})) == ["B"]
    assert titles(client.get(BANK, {"belop_til": "500 000"})) == ["A"]
    assert titles(client.get(BANK, {"sorter": "eldste"})) == ["A", "B"]
    assert titles(client.get(BANK, {"sorter": "belop"})) == ["B", "A"]


def test_an_invalid_filter_says_so_and_the_others_still_apply(client):
    make_project(title="A", year=2022)
    make_project(title="B", year=2023)
    response = client.get(BANK, {"belop_fra": "mange", "ar": 2022})
    assert "Skriv beløpet som et tall" in visible_text(response.text, ".ds-error-summary")
    assert titles(response) == ["A"]


def test_search_is_stemmed_norwegian(client):
    make_project(title="Velferdsteknologi i hjemmetjenesten", summary="Bærekraftige innkjøp i kommunene.")
    make_project(title="Tjenestedesign for NAV")
    assert titles(client.get(BANK, {"q": "kommune"})) == ["Velferdsteknologi i hjemmetjenesten"]
    assert titles(client.get(BANK, {"q": "bærekraft innkjøpene"})) == ["Velferdsteknologi i hjemmetjenesten"]
    assert titles(client.get(BANK, {"q": "tjenestedesignet"})) == ["Tjenestedesign for NAV"]
    assert titles(client.get(BANK, {"q": "-nav"})) == ["Velferdsteknologi i hjemmetjenesten"]


def test_pages_of_twenty_with_links_that_keep_the_filters(client):
    scheme = SchemeFactory()
    for n in range(25):
        make_project(title=f"Prosjekt {n:02}", scheme=scheme, year=2024)
    response = client.get(BANK, {"ordning": scheme.slug, "sorter": "tittel"})
    assert len(titles(response)) == 20
    [next_link] = by_role(response.text, "link", "Neste side")
    href = next_link.get("href")
    assert f"ordning={scheme.slug}" in href and "sorter=tittel" in href and "side=2" in href
    assert titles(client.get(BANK + href)) == [f"Prosjekt {n}" for n in range(20, 25)]


def test_the_bank_and_a_project_page_run_a_constant_number_of_queries(client, django_assert_max_num_queries):
    goals = list(SustainableDevelopmentGoal.objects.order_by("number")[:3])
    partners = [OrganisationFactory(), OrganisationFactory()]
    projects = [
        make_project(title=f"Prosjekt {n}", sdgs=goals, partners=partners, scheme=SchemeFactory()) for n in range(30)
    ]
    # anonymous: the filter choices (schemes, fylker, goals twice: cleaning and choices, themes), count, page
    with django_assert_max_num_queries(7):
        response = client.get(BANK, {"q": "prosjekt", "baerekraftsmal": 3})
    assert len(titles(response)) == 20
    # the project with owner, scheme, call and place; partners; goals; themes; similar projects
    # (candidates, their goals, their themes: projects.similarity)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("project-detail", args=[projects[0].pk])).status_code == 200
