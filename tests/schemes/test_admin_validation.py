"""The call admin refuses inconsistent data with a Norwegian message and saves nothing; the call's
change page links to its rules and (once the public check exists) to a preview of the check."""

import pytest
from django.urls import reverse

from schemes.models import AssessmentCriterion, Call, Scheme
from tests.factories import CallFactory, SchemeFactory, SuperuserFactory
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db


def _call_post(client, scheme, *, criteria=(), **fields):
    """The call's add form as the admin page posts it, with ``criteria`` in its inline."""
    data = {
        "scheme": str(scheme.pk), "title": "Utlysning 2027", "slug": "utlysning-2027",
        "opens_at_0": "01.02.2027", "opens_at_1": "09:00:00", "closes_at_0": "15.09.2027", "closes_at_1": "13:00:00",
        "budget": "10000000", "min_amount": "100000", "max_amount": "2000000",
    }  # fmt: skip
    data.update(fields)
    response = client.get(reverse("admin:schemes_call_add"))
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        rows = list(criteria) if prefix == "criteria" else []
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})  # fmt: skip
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return client.post(reverse("admin:schemes_call_add"), data)


def _criterion(order, weight, **fields):
    return {"order": str(order), "name": f"Kriterium {order}", "weight": str(weight), "scale_min": "1",
            "scale_max": "7", "scale_labels": "{}", **fields}  # fmt: skip


@pytest.fixture
def scheme(client):
    force_login_verified(client, SuperuserFactory())
    return SchemeFactory()


def test_a_valid_call_with_weights_summing_to_100_is_saved(client, scheme):
    response = _call_post(client, scheme, criteria=[_criterion(1, 50), _criterion(2, "50")])
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert Call.objects.get().criteria.count() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"closes_at_0": "01.01.2027"}, "Søknadsfristen må være etter at utlysningen åpner."),
        ({"min_amount": "3000000"}, "Største beløp kan ikke være mindre enn minste beløp."),
        ({"budget": "1000000"}, "Største beløp per søknad kan ikke være større enn hele budsjettet."),
        ({"own_funding_min_percent": "120"}, "mindre enn eller lik 100"),
    ],
)
def test_dates_and_amounts_must_be_consistent(client, scheme, fields, message):
    response = _call_post(client, scheme, **fields)
    assert response.status_code == 200
    assert message in response.text
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ([_criterion(1, 50), _criterion(2, 40)], "Vektene må til sammen være 100 %, men er 90 %."),
        ([_criterion(1, 100, scale_min="5", scale_max="5")], "Skalaen må gå fra et lavere til et høyere tall."),
        ([_criterion(1, 100, scale_max="30")], "Skalaen kan ha høyst 21 trinn."),
        ([_criterion(1, 100, scale_labels='{"8": "Fremragende"}')], "Trinn utenfor skalaen: 8."),
        ([_criterion(1, 100, scale_labels='["Dårlig"]')], "Navnene på trinnene må være et oppslag fra trinn til navn."),
    ],
)
def test_criteria_weights_and_scales_must_be_sane(client, scheme, criteria, message):
    response = _call_post(client, scheme, criteria=criteria)
    assert response.status_code == 200
    assert message in response.text
    assert not Call.objects.exists() and not AssessmentCriterion.objects.exists()


def test_the_call_page_links_to_its_rules_its_forms_and_a_preview_of_the_check(client):
    force_login_verified(client, SuperuserFactory())
    call = CallFactory(slug="runde-2027")
    url = reverse("admin:schemes_call_change", args=[call.pk])
    page = client.get(url).text
    assert reverse("admin:schemes_call_rules", args=[call.pk]) in page
    assert reverse("admin:schemes_call_rule_history", args=[call.pk]) in page
    assert reverse("admin:applications_callform_editor", args=[call.pk, "hele"]) in page
    assert 'href="/sjekk/?utlysning=runde-2027"' in page and "Forhåndsvis sjekken" in page
    stage = call.stages.create(order=1, kind="skisse")
    page = client.get(url).text
    assert reverse("admin:applications_callform_editor", args=[call.pk, stage.pk]) in page
    assert reverse("admin:applications_callform_editor", args=[call.pk, "hele"]) not in page


def test_a_deadline_without_a_time_closes_at_13_norwegian_time(client, scheme):
    from django.utils import timezone

    response = _call_post(client, scheme, closes_at_1="")
    assert response.status_code == 302
    closes_at = timezone.localtime(Call.objects.get().closes_at)
    assert (closes_at.date().isoformat(), closes_at.hour, closes_at.minute) == ("2027-09-15", 13, 0)
    assert closes_at.utcoffset().total_seconds() == 2 * 3600  # summer time in Oslo


def test_scale_labels_are_typed_one_step_a_line_and_shown_so_again(client, scheme):
    labels = "7: Fremragende\n1 : Dårlig\n\n4 – God"
    response = _call_post(client, scheme, criteria=[_criterion(1, 100, scale_labels=labels)])
    assert response.status_code == 302, response.context["errors"] if response.context else response
    criterion = AssessmentCriterion.objects.get()
    assert criterion.scale_labels == {"7": "Fremragende", "1": "Dårlig", "4": "God"}
    page = client.get(reverse("admin:schemes_call_change", args=[criterion.call_id]))
    field = page.context["inline_admin_formsets"][1].formset.forms[0]["scale_labels"]
    assert field.value() == "1: Dårlig\n4: God\n7: Fremragende"  # the textarea's content, in step order


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ("7 Fremragende", "Linje 1: skriv trinnet, kolon og navnet, for eksempel «7: Fremragende»."),
        ("1: Dårlig\n1: Svak", "Trinn 1 har fått navn to ganger."),
        ("1: Dårlig\n9: Utmerket", "Trinn utenfor skalaen: 9."),
    ],
)
def test_scale_labels_typed_wrong_are_refused_with_the_line(client, scheme, labels, message):
    response = _call_post(client, scheme, criteria=[_criterion(1, 100, scale_labels=labels)])
    assert response.status_code == 200
    assert message in response.text
    assert not Call.objects.exists()


def test_a_new_scheme_and_a_new_call_point_to_what_comes_next(client, scheme):
    response = _call_post(client, scheme, criteria=[_criterion(1, 100)])
    call = Call.objects.get()
    message = str(list(response.wsgi_request._messages)[-1])
    assert reverse("admin:applications_callform_editor", args=[call.pk, "hele"]) in message
    assert reverse("admin:schemes_call_rules", args=[call.pk]) in message

    data = {"name": "Nærmiljølaben", "slug": "naermiljolaben", "agencies": [str(a.pk) for a in scheme.agencies.all()],
            "instrument": "tilskudd", "is_active": "on"}  # fmt: skip
    for formset in client.get(reverse("admin:schemes_scheme_add")).context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:schemes_scheme_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    new = Scheme.objects.get(slug="naermiljolaben")
    message = str(list(response.wsgi_request._messages)[-1])
    assert reverse("admin:schemes_scheme_rules", args=[new.pk]) in message
    assert reverse("admin:schemes_call_add") + f"?scheme={new.pk}" in message
