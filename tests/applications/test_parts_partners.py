"""The partners page through the Django client: who may see and change it, adding by organisation
number (registered or new), errors that keep what was typed, the lookup, removing, query count."""

import copy

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationEvent, ApplicationPartner
from applications.services import application_partner_add
from organisations.models import Membership, Organisation, OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, make_application

pytestmark = pytest.mark.django_db

Q = "partnere"


@pytest.fixture
def app():
    return make_application()


def _member(application):
    return application.organisation.memberships.get().user


def _url(application, name="application-partners", *extra):
    return reverse(name, args=[application.pk, Q, *extra])


def _state(application):
    application = Application.objects.get(pk=application.pk)
    return (
        application.answers,
        application.sections,
        list(application.partners.values_list("pk", flat=True)),
        ApplicationEvent.objects.filter(application=application).count(),
        Organisation.objects.count(),
    )


def test_a_member_adds_a_registered_organisation_by_number_with_spaces(client, app):
    other = OrganisationFactory(name="Forskningsinstituttet", kind=OrganisationKind.RESEARCH)
    client.force_login(_member(app))
    spaced = f"{other.org_number[:3]} {other.org_number[3:6]} {other.org_number[6:]}"
    response = client.post(_url(app), {"org_number": spaced, "role": "research-partner"}, follow=True)
    assert response.redirect_chain[-1][0] == _url(app)
    assert "Forskningsinstituttet er lagt til som partner." in response.text
    partner = ApplicationPartner.objects.get(application=app)
    assert (partner.organisation, partner.role) == (other, "research-partner")
    assert Application.objects.get(pk=app.pk).answers[Q] == [
        {"org_number": other.org_number, "role": "research-partner"}
    ]
    assert other.org_number in response.text and "Forskningspartner" in response.text


def test_an_unknown_number_asks_for_name_and_kind_keeping_the_number_then_registers_it(client, app):
    client.force_login(_member(app))
    number = "974760673"
    before = _state(app)
    response = client.post(_url(app), {"org_number": "974 760 673", "role": "partner"})
    assert response.status_code == 200
    assert "ikke registrert i portalen" in response.text
    assert 'value="974 760 673"' in response.text
    assert response.context["form"].errors.keys() == {"name", "kind"}
    assert _state(app) == before
    response = client.post(
        _url(app), {"org_number": "974 760 673", "role": "partner", "name": "Ny partner AS", "kind": "bedrift"}
    )
    assert response.status_code == 302
    created = Organisation.objects.get(org_number=number)
    assert (created.name, created.kind) == ("Ny partner AS", "bedrift")
    assert app.partners.get().organisation == created


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("97476067", "Organisasjonsnummeret skal ha 9 sifre, men har 8."),
        ("974760674", "Kontrollsifferet stemmer ikke"),
        ("97476O673", "Organisasjonsnummeret kan bare inneholde sifre"),
    ],
)
def test_a_bad_number_is_an_error_on_that_field_with_everything_typed_kept(client, app, typed, message):
    client.force_login(_member(app))
    before = _state(app)
    data = {"org_number": typed, "role": "co-funder", "name": "Noe AS", "kind": "bedrift"}
    response = client.post(_url(app), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["org_number"])
    for value in (typed, "Noe AS"):
        assert f'value="{value}"' in response.text
    assert '<option value="co-funder" selected>' in response.text
    assert _state(app) == before


def test_the_applicant_itself_and_a_duplicate_are_refused_on_the_number(client, app):
    user = _member(app)
    other = OrganisationFactory(name="Partner 1")
    application_partner_add(application_id=app.pk, question_key=Q, org_number=other.org_number, role="partner",
                            by_user=user)  # fmt: skip
    client.force_login(user)
    before = _state(app)
    own = client.post(_url(app), {"org_number": app.organisation.org_number, "role": "partner"})
    assert "Søkeren selv kan ikke være partner." in own.context["form"].errors["org_number"]
    again = client.post(_url(app), {"org_number": other.org_number, "role": "partner"})
    assert "Partner 1 er allerede partner." in again.context["form"].errors["org_number"]
    assert _state(app) == before


def test_a_missing_role_is_an_error_on_the_role(client, app):
    client.force_login(_member(app))
    response = client.post(_url(app), {"org_number": OrganisationFactory().org_number, "role": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"role"}


def test_min_and_max_partners_are_shown(client):
    from tests.example_forms import FULL_FORM
    from tests.factories import call_with_form

    form = copy.deepcopy({"sections": [s for s in FULL_FORM["sections"] if s["key"] == "partnere"]})
    form["sections"][0]["questions"][0]["params"] = {"min_partners": 1, "max_partners": 3}
    app = make_application(call=call_with_form(definition=form))
    client.force_login(_member(app))
    assert "Søknaden skal ha fra 1 til 3 partnere." in client.get(_url(app)).text


def test_a_partner_member_reads_without_forms_and_cannot_add_or_remove(client, app):
    user = _member(app)
    partner_org = OrganisationFactory(name="Partneren")
    partner = application_partner_add(application_id=app.pk, question_key=Q, org_number=partner_org.org_number,
                                      role="partner", by_user=user)  # fmt: skip
    reader = MembershipFactory(organisation=partner_org).user
    client.force_login(reader)
    page = client.get(_url(app))
    assert page.status_code == 200
    assert "Partneren" in page.text
    assert "Legg til partner" not in page.text and "/fjern/" not in page.text
    new = OrganisationFactory()
    before = _state(app)
    assert client.post(_url(app), {"org_number": new.org_number, "role": "partner"}).status_code == 403
    assert client.post(_url(app, "application-partner-remove", partner.pk)).status_code == 403
    assert client.get(_url(app, "application-partner-lookup"), {"org_number": new.org_number}).status_code == 403
    assert _state(app) == before
    # The same POST from the applicant's ansvarlig goes through: the refusal was the role, not the input.
    ansvarlig = MembershipFactory(organisation=app.organisation, role=Membership.Role.ANSVARLIG).user
    client.force_login(ansvarlig)
    assert client.post(_url(app), {"org_number": new.org_number, "role": "partner"}).status_code == 302
    assert app.partners.count() == 2


def test_another_organisation_gets_404_everywhere(client, app):
    partner_org = OrganisationFactory()
    partner = application_partner_add(application_id=app.pk, question_key=Q, org_number=partner_org.org_number,
                                      role="partner", by_user=_member(app))  # fmt: skip
    client.force_login(MembershipFactory().user)
    new = OrganisationFactory()
    before = _state(app)
    assert client.get(_url(app)).status_code == 404
    assert client.post(_url(app), {"org_number": new.org_number, "role": "partner"}).status_code == 404
    assert client.post(_url(app, "application-partner-remove", partner.pk)).status_code == 404
    assert client.get(_url(app, "application-partner-lookup"), {"org_number": "974760673"}).status_code == 404
    assert _state(app) == before


def test_a_question_that_is_not_a_partner_list_is_404(client, app):
    client.force_login(_member(app))
    assert client.get(reverse("application-partners", args=[app.pk, "budsjett"])).status_code == 404
    assert client.get(reverse("application-partners", args=[app.pk, "finnes-ikke"])).status_code == 404


def test_remove_takes_the_partner_away_with_a_message(client, app):
    user = _member(app)
    partner_org = OrganisationFactory(name="Borte AS")
    partner = application_partner_add(application_id=app.pk, question_key=Q, org_number=partner_org.org_number,
                                      role="partner", by_user=user)  # fmt: skip
    client.force_login(user)
    response = client.post(_url(app, "application-partner-remove", partner.pk), follow=True)
    assert "Borte AS er fjernet som partner." in response.text
    assert not app.partners.exists()
    assert Application.objects.get(pk=app.pk).answers[Q] == []
    # Removing it again (a second tab) is a 404, not a 500.
    assert client.post(_url(app, "application-partner-remove", partner.pk)).status_code == 404


def test_the_lookup_names_a_registered_organisation_or_says_it_is_not_registered(client, app):
    registered = OrganisationFactory(name="Kjent direktorat", kind="statlig")
    client.force_login(_member(app))
    url = _url(app, "application-partner-lookup")
    assert (
        "Registrert: Kjent direktorat (Statlig virksomhet)"
        in client.get(url, {"org_number": registered.org_number}).text
    )
    assert "Ikke registrert – fyll inn navn og type." in client.get(url, {"org_number": "974 760 673"}).text
    assert "skal ha 9 sifre" in client.get(url, {"org_number": "123"}).text
    assert client.get(url, {"org_number": ""}).text.strip() == ""


def test_a_submitted_application_is_read_only_for_its_members(client, app):
    from applications.workflow import State

    Application.objects.filter(pk=app.pk).update(state=State.SUBMITTED)
    client.force_login(_member(app))
    page = client.get(_url(app))
    assert page.status_code == 200 and "Legg til partner" not in page.text
    assert (
        client.post(_url(app), {"org_number": OrganisationFactory().org_number, "role": "partner"}).status_code == 403
    )


def test_the_page_with_many_partners_has_a_fixed_number_of_queries(client, app, django_assert_max_num_queries):
    user = _member(app)
    for organisation in OrganisationFactory.create_batch(22):
        application_partner_add(application_id=app.pk, question_key=Q, org_number=organisation.org_number,
                                role="partner", by_user=user)  # fmt: skip
    client.force_login(user)
    with django_assert_max_num_queries(9):
        response = client.get(_url(app))
    assert response.text.count("/fjern/") == 22
