"""Similar funded projects (projects.similarity): on a project page, for an applicant's draft and in
the officer's case with likely duplicates; each match says why; the same on PostgreSQL and SQLite;
bounded queries."""

import pytest
from django.urls import reverse

from applications.models import Application
from applications.workflow import State
from organisations.models import Membership
from projects.similarity import similar_projects
from schemes.models import SustainableDevelopmentGoal
from tests.databases import using_database
from tests.factories import MembershipFactory, OrganisationFactory, StaffRoleFactory, make_application
from tests.html import texts
from tests.otp import force_login_verified
from tests.projects.helpers import make_project

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])
HOME = "Velferdsteknologi i hjemmetjenesten"


@pytest.fixture(params=["default", "sqlite"], ids=["postgresql", "sqlite"])
def database(request):
    with using_database(request.param):
        yield request.param


def goal(number):
    return SustainableDevelopmentGoal.objects.get(number=number)


def test_matches_are_ranked_by_shared_words_and_goals_with_the_reason(database):
    best = make_project(title=f"{HOME} i Bodø", summary="Digitalt tilsyn i hjemmetjenesten.", sdgs=[goal(3)])
    weaker = make_project(title="Velferdsteknologi på sykehjem", summary="Sensorer i sykehjemmet.")
    make_project(title="Smart vannforsyning", summary="Lekkasjer i ledningsnettet.", sdgs=[goal(3)])
    matches = similar_projects(texts=[HOME, "Digitalt tilsyn for eldre"], goal_numbers=[3])
    assert [m.project for m in matches] == [best, weaker]
    assert (
        matches[0].reason == "felles ord: velferdsteknologi, hjemmetjenesten, digitalt, tilsyn; samme bærekraftsmål 3"
    )
    assert matches[1].reason == "felles ord: velferdsteknologi"


def test_the_project_page_lists_similar_projects_with_a_fixed_number_of_queries(client, django_assert_num_queries):
    project = make_project(title=HOME, summary="Sensorer og digitalt tilsyn.", sdgs=[goal(3)])
    for n in range(30):
        make_project(title=f"{HOME} {n}", summary="Digitalt tilsyn.", sdgs=[goal(3), goal(11)])
    make_project(title="Smart vannforsyning")
    url = reverse("project-detail", args=[project.pk])
    with django_assert_num_queries(7):  # session-free: project, 4 prefetches/lists, 3 similarity reads
        page = client.get(url).text
    similar = texts(page, ".portal-similar li a")
    assert len(similar) == 5 and all(name.startswith(HOME) for name in similar) and HOME not in similar
    assert "samme bærekraftsmål 3" in page


@pytest.fixture
def applications_of_a_call(private_storage):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG)
    application = make_application(organisation=ansvarlig.organisation, by_user=ansvarlig.user)
    Application.objects.filter(pk=application.pk).update(
        title=HOME, answers={"sammendrag": "Digitalt tilsyn gir tryggere hverdag for hjemmeboende."}
    )
    other = MembershipFactory(role=Membership.Role.ANSVARLIG)
    twin = make_application(organisation=other.organisation, call=application.call, by_user=other.user)
    Application.objects.filter(pk=twin.pk).update(
        title=f"{HOME}!", state=State.SUBMITTED, reference="IP-2030-00099",
        answers={"sammendrag": "Digitalt tilsyn gir en tryggere hverdag for hjemmeboende."},
    )  # fmt: skip
    make_project(title=HOME, summary="Digitalt tilsyn gir tryggere hverdag for hjemmeboende.")
    make_project(title="Velferdsteknologi i barnehagen", summary="Noe helt annet om barn.")
    return Application.objects.get(pk=application.pk), ansvarlig.user


def test_the_applicant_sees_similar_projects_but_not_duplicates(client, applications_of_a_call):
    application, user = applications_of_a_call
    url = reverse("application-similar", args=[application.pk])
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    assert client.get(url).status_code == 404
    client.force_login(user)
    page = client.get(url).text
    assert texts(page, ".portal-similar li a") == [HOME]  # one shared word in a long text is not enough
    assert "Mulige duplikater" not in page and "IP-2030-00099" not in page
    draft = client.get(reverse("application-detail", args=[application.pk])).text
    assert url in draft
    # the best matches are on the draft itself, with why they matched
    assert texts(draft, "#lignende-prosjekter ~ .portal-similar li a") == [HOME]
    assert "felles ord: velferdsteknologi" in texts(draft, "#lignende-prosjekter ~ .portal-similar li")[0]


def test_the_draft_searches_the_bank_once_while_its_text_is_unchanged(
    client, applications_of_a_call, django_assert_max_num_queries
):
    application, user = applications_of_a_call
    client.force_login(user)
    url = reverse("application-detail", args=[application.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as searched:  # the overview's own queries, no search
        client.get(url)
    assert not any("search_document" in query["sql"] for query in searched.captured_queries)
    Application.objects.filter(pk=application.pk).update(title="Noe helt annet om barn i barnehagen")
    # a new title is a new search: the project about barnehager now matches too
    assert "Velferdsteknologi i barnehagen" in texts(
        client.get(url).text, "#lignende-prosjekter ~ .portal-similar li a"
    )


def test_the_officer_sees_likely_duplicates_of_the_call_and_funded_projects(client, applications_of_a_call):
    application, _user = applications_of_a_call
    Application.objects.filter(pk=application.pk).update(state=State.SUBMITTED, reference="IP-2030-00098")
    officer = StaffRoleFactory(agency=application.call.scheme.agencies.first(), schemes=[application.call.scheme]).user
    force_login_verified(client, officer)
    page = client.get(reverse("application-similar", args=[application.pk])).text
    duplicates = texts(page, "#duplikater + ul li")
    assert len(duplicates) == 2
    assert duplicates[0].startswith(f"IP-2030-00099: {HOME}!") and "søknad i samme utlysning" in duplicates[0]
    assert "felles ord: velferdsteknologi" in duplicates[0]
    assert duplicates[1].startswith(HOME) and "finansiert prosjekt" in duplicates[1]
    case = client.get(reverse("staff-application", args=[application.pk])).text
    assert reverse("application-similar", args=[application.pk]) in case
    # the most similar funded projects are on the case page itself, with why they matched
    assert texts(case, "#lignende-prosjekter ~ .portal-similar li a")[0] == HOME
    assert "felles ord: velferdsteknologi" in texts(case, "#lignende-prosjekter ~ .portal-similar li")[0]
