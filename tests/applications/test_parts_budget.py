"""The budget page through the Django client: the table and its years, Norwegian amounts, totals and
the call's rules computed on the server, the live preview, a cell that is not an amount, a
colleague's save in between, who may see and change it, query count."""

import copy
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationEvent
from applications.services import application_budget_save, application_partner_add
from applications.workflow import State
from organisations.models import Membership
from tests.example_forms import FULL_FORM
from tests.factories import MembershipFactory, OrganisationFactory, call_with_form, make_application
from tests.html import definitions, field_value, parse, select, table_rows, visible_text

pytestmark = pytest.mark.django_db

Q = "budsjett"


def _form(max_years=5):
    definition = copy.deepcopy(FULL_FORM)
    for section in definition["sections"]:
        for question in section["questions"]:
            if question["key"] == Q:
                question["params"]["max_years"] = max_years
    return definition


@pytest.fixture
def app():
    call = call_with_form(definition=_form(), own_funding_min_percent=50, min_amount=100_000, max_amount=2_000_000)
    return make_application(call=call)


def _member(application):
    return application.organisation.memberships.get().user


def _url(application, **query):
    url = reverse("application-budget", args=[application.pk, Q])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _text(response) -> str:
    return visible_text(response)


PERSONAL, PURCHASES = "Personal og indirekte kostnader", "Innkjøp av FoU-tjenester og andre tjenester"


def _state(application):
    application = Application.objects.get(pk=application.pk)
    return application.answers, application.sections, ApplicationEvent.objects.filter(application=application).count()


def _post(years=(2027, 2028), base_version=0, **cells):
    data = {"first_year": years[0], "years": len(years), "base_version": base_version, "action": "save"}
    data.update({"own_funding": "", "other_funding": ""})
    data.update({key.replace("__", "-"): value for key, value in cells.items()})
    return data


def test_the_years_default_to_next_year_then_the_start_date_then_the_stored_budget(client, app):
    user = _member(app)
    client.force_login(user)
    next_year = timezone.localdate().year + 1
    page = client.get(_url(app))
    assert page.context["years"] == list(range(next_year, next_year + 5))
    Application.objects.filter(pk=app.pk).update(answers={"startdato": "2029-03-01"})
    assert client.get(_url(app)).context["years"][0] == 2029
    budget = {"rows": {"personal": {"2030": "1000", "2031": "2000"}}, "own_funding": "0", "other_funding": "0",
              "requested": "3000"}  # fmt: skip
    application_budget_save(application_id=app.pk, question_key=Q, budget_json=budget, base_version=0, by_user=user)
    assert client.get(_url(app)).context["years"] == [2030, 2031]
    # The person chooses: a first year and how many (up to the question's max_years).
    assert client.get(_url(app, first_year=2028, years=3)).context["years"] == [2028, 2029, 2030]
    assert client.get(_url(app, first_year=2028, years=9)).context["years"] == [2030, 2031]


def test_norwegian_amounts_are_saved_as_whole_kroner_with_totals_on_the_page(client, app):
    client.force_login(_member(app))
    data = _post(
        b__personal__2027="1 250 000",
        b__personal__2028="1 250 000 kr",
        b__utstyr__2027="500 000,-",
        own_funding="1 500 000",
    )
    response = client.post(_url(app), data, follow=True)
    assert "Budsjettet er lagret kl." in _text(response)
    stored = Application.objects.get(pk=app.pk)
    assert stored.answers[Q] == {
        "rows": {"personal": {"2027": "1250000", "2028": "1250000"}, "utstyr": {"2027": "500000"}},
        "own_funding": "1500000",
        "other_funding": "0",
        "requested": "1500000",
    }
    assert stored.section_version(f"q:{Q}") == 1
    page = parse(response)
    rows = {row[0]: row[1:] for row in table_rows(page, "Kostnader per år (hele kroner)")}
    assert rows[PERSONAL][-1] == "2 500 000 kr"  # the personnel row
    assert rows["Sum per år"] == ["1 750 000 kr", "1 250 000 kr", "3 000 000 kr"]  # 2027, 2028, everything
    assert definitions(page, "#budsjett-sammendrag dl")["Egenfinansiering"] == "1 500 000 kr (50,0 %)"
    # The amount applied for is shown, not asked: the costs minus own and other funding.
    assert not select(page, "input[name=requested]")
    assert visible_text(page, "#omsokt") == "1 500 000 kr"
    assert definitions(page, "#budsjett-sammendrag dl")["Omsøkt beløp"] == "1 500 000 kr (50,0 %)"
    assert "oppfyller utlysningens krav" in visible_text(page, "#budsjett-kontroll")


def test_the_calls_rules_are_checked_with_shares_in_norwegian(client, app):
    client.force_login(_member(app))
    data = _post(b__personal__2027="5 000 000", own_funding="2 275 000", other_funding="0")
    response = client.post(_url(app), data, follow=True)
    text = _text(response)
    assert "Egenfinansieringen må være minst 50,0 % av kostnadene, men er 45,5 %." in text
    assert "Omsøkt beløp (2 725 000 kr) er høyere enn utlysningens største beløp (2 000 000 kr)." in text


def test_financing_above_the_costs_is_an_error_that_keeps_what_was_typed_and_saves_nothing(client, app):
    client.force_login(_member(app))
    before = _state(app)
    data = _post(b__personal__2027="1 000 000", own_funding="800 000", other_funding="300 000")
    response = client.post(_url(app), data)
    assert response.status_code == 200
    message = "Egenfinansiering og annen finansiering (1 100 000 kr) kan ikke være mer enn kostnadene (1 000 000 kr)."
    assert message in visible_text(response, ".ds-error-summary, [data-color=danger]")
    assert message in visible_text(response, "#budsjett-kontroll")
    assert field_value(response, "Egenfinansiering") == "800 000"
    assert field_value(response, "Annen finansiering") == "300 000"
    assert visible_text(response, "#omsokt") == "0 kr"
    assert _state(app) == before


def test_a_cell_that_is_not_an_amount_is_an_error_there_with_everything_kept_and_nothing_saved(client, app):
    client.force_login(_member(app))
    before = _state(app)
    data = _post(b__personal__2027="1 250 000", b__innkjop__2028="mange penger", own_funding="12,5")
    response = client.post(_url(app), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.keys() == {"b-innkjop-2028", "own_funding"}
    assert "Skriv beløpet i hele kroner" in form.errors["b-innkjop-2028"][0]
    page = parse(response)
    assert field_value(page, f"{PERSONAL} 2027") == "1 250 000"
    assert field_value(page, f"{PURCHASES} 2028") == "mange penger"
    assert field_value(page, "Egenfinansiering") == "12,5"
    # The bad cell points at its message, which says what is wrong.
    assert "id_b-innkjop-2028_error" in select(page, "#id_b-innkjop-2028")[0].get("aria-describedby", "").split()
    assert "Skriv beløpet i hele kroner" in visible_text(page, "#id_b-innkjop-2028_error")
    assert _state(app) == before


def test_oppdater_aar_shows_other_years_keeping_what_was_typed_and_saves_nothing(client, app):
    client.force_login(_member(app))
    before = _state(app)
    data = {**_post(b__personal__2028="7 000", own_funding="9"), "action": "years", "first_year": 2028, "years": 3}
    response = client.post(_url(app), data)
    assert response.status_code == 200
    assert response.context["years"] == [2028, 2029, 2030]
    page = parse(response)
    assert field_value(page, f"{PERSONAL} 2028") == "7 000"
    assert field_value(page, "Egenfinansiering") == "9"
    assert field_value(page, f"{PERSONAL} 2030") == ""
    assert not select(page, "[name=b-personal-2027]")
    assert _state(app) == before


def test_the_preview_returns_the_totals_and_checks_without_saving(client, app):
    client.force_login(_member(app))
    before = _state(app)
    data = _post(b__personal__2027="100 000", b__annet__2028="50 000", own_funding="20 000")
    response = client.post(_url(app, preview=1), data)
    assert response.status_code == 200
    assert not select(response, "main")  # a fragment
    assert definitions(response)["Sum kostnader"] == "150 000 kr"
    swapped = {span.get("id"): span for span in select(response, "[hx-swap-oob]")}
    assert visible_text(swapped["sum-personal"]) == "100 000 kr"
    assert visible_text(swapped["sum-2028"]) == "50 000 kr"
    assert "men er 13,3 %" in visible_text(swapped["budsjett-kontroll"])
    assert visible_text(swapped["omsokt"]) == "130 000 kr"  # the amount applied for, derived
    # An unreadable cell counts as empty and the fragment says so.
    response = client.post(_url(app, preview=1), {**data, "b-annet-2028": "femti"})
    assert "kan ikke leses ennå" in _text(response)
    assert _state(app) == before


def test_a_colleagues_save_in_between_is_shown_and_nothing_is_lost(client, app):
    me = _member(app)
    colleague = MembershipFactory(organisation=app.organisation, user__full_name="Kari Kollega").user
    theirs = {"rows": {"personal": {"2027": "800000"}}, "own_funding": "400000", "other_funding": "0",
              "requested": "400000"}  # fmt: skip
    application_budget_save(application_id=app.pk, question_key=Q, budget_json=theirs, base_version=0,
                            by_user=colleague)  # fmt: skip
    client.force_login(me)
    data = _post(base_version=0, b__personal__2027="999 000", own_funding="499 500")
    response = client.post(_url(app), data)
    assert response.status_code == 200
    text = _text(response)
    saved = Application.objects.get(pk=app.pk).sections[f"q:{Q}"]
    assert re.search(r"Kari Kollega lagret budsjettet kl\. \d\d:\d\d", text)
    assert "kostnader 800 000 kr, egenfinansiering 400 000 kr, omsøkt 400 000 kr" in text
    assert field_value(response, f"{PERSONAL} 2027") == "999 000"
    assert [i.get("value") for i in select(response, "input[type=hidden][name=base_version]")] == ["1"]
    assert Application.objects.get(pk=app.pk).answers[Q] == theirs
    assert saved["v"] == 1
    # Saving again, knowingly, from the version shown overwrites the colleague's budget.
    response = client.post(_url(app), {**data, "base_version": 1})
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).answers[Q]["rows"] == {"personal": {"2027": "999000"}}


def test_a_partner_member_reads_the_budget_but_cannot_change_it_and_others_get_404(client, app):
    user = _member(app)
    budget = {"rows": {"personal": {"2027": "800000"}}, "own_funding": "400000", "other_funding": "0",
              "requested": "400000"}  # fmt: skip
    application_budget_save(application_id=app.pk, question_key=Q, budget_json=budget, base_version=0, by_user=user)
    partner_org = OrganisationFactory()
    application_partner_add(application_id=app.pk, question_key="partnere", org_number=partner_org.org_number,
                            role="partner", by_user=user)  # fmt: skip
    client.force_login(MembershipFactory(organisation=partner_org).user)
    page = client.get(_url(app))
    assert page.status_code == 200
    assert "800 000 kr" in _text(page)
    assert not select(page, "main input, main select, main textarea, main button")
    before = _state(app)
    data = _post(years=(2027,), base_version=1, b__personal__2027="1")
    assert client.post(_url(app), data).status_code == 403
    assert client.post(_url(app, preview=1), data).status_code == 403
    client.force_login(MembershipFactory().user)
    assert client.get(_url(app)).status_code == 404
    assert client.post(_url(app), data).status_code == 404
    assert _state(app) == before
    client.force_login(MembershipFactory(organisation=app.organisation, role=Membership.Role.ANSVARLIG).user)
    assert client.post(_url(app), data).status_code == 302
    assert Application.objects.get(pk=app.pk).answers[Q]["rows"] == {"personal": {"2027": "1"}}


def test_a_submitted_application_shows_the_budget_read_only(client, app):
    Application.objects.filter(pk=app.pk).update(state=State.SUBMITTED)
    client.force_login(_member(app))
    assert client.get(_url(app)).context["form"] is None
    assert client.post(_url(app), _post(b__personal__2027="1")).status_code == 403


def test_a_4_by_5_budget_has_a_fixed_number_of_queries(client, app, django_assert_max_num_queries):
    user = _member(app)
    rows = {c: {str(y): str(1000 * y) for y in range(2027, 2032)} for c in ("personal", "innkjop", "utstyr", "annet")}
    budget = {"rows": rows, "own_funding": "1", "other_funding": "0", "requested": "1"}
    application_budget_save(application_id=app.pk, question_key=Q, budget_json=budget, base_version=0, by_user=user)
    client.force_login(user)
    with django_assert_max_num_queries(9):
        response = client.get(_url(app))
    assert response.context["years"] == [2027, 2028, 2029, 2030, 2031]
    cells = [i for i in select(response, "input[name^=b-]") if re.fullmatch(r"b-[a-z]+-\d{4}", i.get("name"))]
    assert len(cells) == 20 and {i.get("inputmode") for i in cells} == {"numeric"}


def test_saving_reads_the_years_on_the_screen_even_if_the_year_fields_were_changed(client, app):
    client.force_login(_member(app))
    data = {**_post(b__personal__2027="10 000"), "shown": "2027:2", "first_year": 2030}
    assert client.post(_url(app), data).status_code == 302
    assert Application.objects.get(pk=app.pk).answers[Q]["rows"] == {"personal": {"2027": "10000"}}


def test_a_tampered_base_version_is_a_conflict_not_an_error(client, app):
    client.force_login(_member(app))
    before = _state(app)
    response = client.post(_url(app), {**_post(b__personal__2027="1"), "base_version": "x"})
    assert response.status_code == 200 and response.context["conflict"]
    assert _state(app) == before


def test_readers_see_every_stored_year(client, app):
    user = _member(app)
    budget = {"rows": {"personal": {"2027": "1", "2035": "2"}}, "own_funding": "0", "other_funding": "0",
              "requested": "3"}  # fmt: skip
    Application.objects.filter(pk=app.pk).update(answers={Q: budget}, state=State.SUBMITTED)
    client.force_login(user)
    assert client.get(_url(app)).context["years"] == list(range(2027, 2036))
