"""The catalogue's search finds Norwegian as people write it — inflected, definite and plural forms —
with the same hits in the same order on PostgreSQL and on SQLite (what `make run` uses): every
test here runs on both databases (``tests.databases``). Title hits rank first; what an
administrator edits is found at once."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from schemes.models import Call, Scheme, SustainableDevelopmentGoal, Theme
from schemes.seed import schemes_seed
from schemes.services import scheme_search_refresh
from tests.databases import using_database
from tests.factories import CallFactory, SchemeFactory, SuperuserFactory
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])
URL = reverse("scheme-catalogue")


@pytest.fixture(params=["default", "sqlite"], ids=["postgresql", "sqlite"])
def database(request):
    """Everything the test does goes to this database."""
    assert connections[request.param].vendor == ("postgresql" if request.param == "default" else "sqlite")
    with using_database(request.param):
        yield request.param


def names(client, query: str, **params) -> list[str]:
    response = client.get(URL, {"q": query, **params})
    assert response.status_code == 200
    return [scheme.name for scheme in response.context["page"].object_list]


def test_inflected_definite_and_plural_forms_find_the_scheme(client, database):
    SchemeFactory(name="Innovasjonspartnerskap", short_description="Utvikle en ny løsning sammen med leverandører.")
    SchemeFactory(name="Forkommersielle anskaffelser", description="Leverandørene konkurrerer i faser.")
    SchemeFactory(name="Grønn omstilling", description="Støtte til bærekraft i kommunene.")
    SchemeFactory(name="StimuLab", description="Tjenestedesign i staten.")
    queries = [
        "innovasjonspartnerskapet", "Innovasjonspartnerskapene", "innovasjonspartnerskaps",
        "anskaffelsene", "anskaffelse", "anskaffelsen",
        "bærekraftige", "bærekraftig", "BÆREKRAFTEN",
        "leverandøren", "kommunane", "tjenestedesignet", "partnerskap",
    ]  # fmt: skip
    assert {query: names(client, query) for query in queries} == {
        "innovasjonspartnerskapet": ["Innovasjonspartnerskap"],
        "Innovasjonspartnerskapene": ["Innovasjonspartnerskap"],
        "innovasjonspartnerskaps": ["Innovasjonspartnerskap"],
        "anskaffelsene": ["Forkommersielle anskaffelser"],
        "anskaffelse": ["Forkommersielle anskaffelser"],
        "anskaffelsen": ["Forkommersielle anskaffelser"],
        "bærekraftige": ["Grønn omstilling"],
        "bærekraftig": ["Grønn omstilling"],
        "BÆREKRAFTEN": ["Grønn omstilling"],
        # in the short description (weighs more) and in the description
        "leverandøren": ["Innovasjonspartnerskap", "Forkommersielle anskaffelser"],
        "kommunane": ["Grønn omstilling"],  # nynorsk plural
        "tjenestedesignet": ["StimuLab"],
        "partnerskap": [],  # a part of a compound is another word: stems are matched whole
    }


def test_title_hits_rank_before_summary_before_body_before_call_text(client, database):
    # Named so that alphabetical order is the reverse of the expected one: only the rank decides.
    CallFactory(scheme=SchemeFactory(name="A ordning"), description="Vi ser etter bærekraftige anskaffelser.")
    SchemeFactory(name="B ordning", description="Om anskaffelsene i kommunene.")
    SchemeFactory(name="C ordning", short_description="Anskaffelse av nye løsninger.")
    SchemeFactory(name="D anskaffelser")
    SchemeFactory(name="E ordning", description="Noe helt annet.")
    assert names(client, "anskaffelsene") == ["D anskaffelser", "C ordning", "B ordning", "A ordning"]
    assert names(client, "bærekraftige anskaffelser") == ["A ordning"]  # every word must be found


def test_stop_words_are_not_required_and_english_texts_are_found_by_english_forms(client, database):
    SchemeFactory(name="Innovasjonsprosjekt i offentlig sektor", name_en="Innovation project for the public sector")
    SchemeFactory(name="Offentleg sektor-ph.d.", name_en="Public Sector PhD", description_nn="For tilsette.")
    assert names(client, "innovasjon for offentlig sektor") == []  # «innovasjon» is not «innovasjonsprosjekt»
    assert names(client, "innovasjonsprosjektet i offentlig sektor") == ["Innovasjonsprosjekt i offentlig sektor"]
    assert names(client, "innovation projects") == ["Innovasjonsprosjekt i offentlig sektor"]
    assert names(client, "ph.d.") == ["Offentleg sektor-ph.d."]
    assert names(client, "offentlege sektoren") == ["Innovasjonsprosjekt i offentlig sektor", "Offentleg sektor-ph.d."]


def test_or_and_minus_work_as_in_web_search(client, database):
    SchemeFactory(name="StimuLab", description="Tjenestedesign i staten.")
    SchemeFactory(name="Forkommersielle anskaffelser")
    SchemeFactory(name="Tjenestedesign for alle")
    assert names(client, "tjenestedesignet or anskaffelsene") == [
        "Forkommersielle anskaffelser", "Tjenestedesign for alle", "StimuLab",
    ]  # fmt: skip
    assert names(client, "tjenestedesign -stimulab") == ["Tjenestedesign for alle"]
    assert names(client, "-tjenestedesign") == ["Forkommersielle anskaffelser"]


# The starting catalogue as `make run` loads it, and what people search for in it. The same table
# on both databases: the same hits in the same order.
SEEDED = {
    "innovasjonspartnerskapet": ["Innovasjonspartnerskap"],
    "anskaffelsene": ["Førkommersielle anskaffelser (PCP)", "Innovasjonspartnerskap"],  # name; theme
    "bærekraftige": [  # goal 11, «Bærekraftige byer og lokalsamfunn»
        "Innovasjonspartnerskap", "Innovasjonsprosjekt i offentlig sektor", "Offentlig-privat samarbeid",
    ],
    "leverandørene": ["Førkommersielle anskaffelser (PCP)", "Innovasjonspartnerskap"],
    "forskningsorganisasjonene": [
        "Innovasjonsprosjekt i offentlig sektor", "Kompetanseprosjekt for offentlig sektor",
        "Førkommersielle anskaffelser (PCP)",
    ],
    "doktorgraden": ["Offentlig sektor-ph.d."],
    "tjenestedesign": ["StimuLab"],
    "public procurement": ["Førkommersielle anskaffelser (PCP)", "Innovasjonspartnerskap"],  # name; theme
}  # fmt: skip


def test_the_starting_catalogue_answers_the_same_on_both_databases(client, database):
    schemes_seed(now=timezone.now())
    assert {query: names(client, query) for query in SEEDED} == SEEDED
    assert names(client, "anskaffelsene", arkiverte="true") == [  # StartOff's short description
        "Førkommersielle anskaffelser (PCP)", "StartOff", "Innovasjonspartnerskap",
    ]  # fmt: skip


# --- kept current by the admin ------------------------------------------------------------------
def _form_data(response) -> dict:
    """The admin change form's current values, as the browser would post them back."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{key}": str(management[key].value()) for key in management.fields})
    return data


def test_what_an_administrator_saves_is_searchable_at_once(client, database):
    force_login_verified(client, SuperuserFactory())
    scheme = SchemeFactory(name="Ordning for kommuner")
    change = reverse("admin:schemes_scheme_change", args=[scheme.pk])
    data = _form_data(client.get(change))
    data.update(name_nn="Ordning for kommunar", description_en="Support for sustainable procurement.",
                themes=[str(Theme.objects.get(slug="helse-og-omsorg").pk)])  # fmt: skip
    assert client.post(change, data).status_code == 302
    assert names(client, "procurements") == ["Ordning for kommuner"]  # the English description
    assert names(client, "kommunar") == ["Ordning for kommuner"]  # the nynorsk name
    assert names(client, "omsorgen") == ["Ordning for kommuner"]  # the theme

    goal = SustainableDevelopmentGoal.objects.get(number=11)
    scheme.sdgs.add(goal)  # as the scheme's form would; then the goal is renamed
    goal_change = reverse("admin:schemes_sustainabledevelopmentgoal_change", args=[goal.number])
    response = client.post(goal_change, {**_form_data(client.get(goal_change)), "name": "Levende lokalsamfunn"})
    assert response.status_code == 302
    assert names(client, "lokalsamfunnene") == ["Ordning for kommuner"]


def test_a_calls_text_is_searched_with_its_scheme_until_the_call_is_deleted(client, database):
    force_login_verified(client, SuperuserFactory())
    scheme = SchemeFactory(name="Ordning")
    opens = timezone.localtime() + timezone.timedelta(days=30)
    data = {
        "scheme": str(scheme.pk), "title": "Utlysning om klimatilpasning", "slug": "klima",
        "description_nn": "Vi søkjer løysingar for flaumsikring.",
        "opens_at_0": opens.strftime("%d.%m.%Y"), "opens_at_1": "09:00:00",
        "closes_at_0": (opens + timezone.timedelta(days=60)).strftime("%d.%m.%Y"), "closes_at_1": "13:00:00",
        "draft_reminders": "7d",
    }  # fmt: skip
    add_page = client.get(reverse("admin:schemes_call_add"))
    for formset in add_page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{key}": str(management[key].value()) for key in management.fields})
    assert client.post(reverse("admin:schemes_call_add"), data).status_code == 302
    assert names(client, "klimatilpasningen") == ["Ordning"]  # the call's title
    assert names(client, "løysingane flaumsikringa") == ["Ordning"]  # its nynorsk description

    call = Call.objects.get(slug="klima")
    response = client.post(reverse("admin:schemes_call_delete", args=[call.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert names(client, "klimatilpasningen") == []


def test_the_migration_indexes_the_schemes_already_there(database):
    scheme = SchemeFactory(name="Bærekraftige anskaffelser", description_en="Green procurement")
    CallFactory(scheme=scheme, title="Runde én", description="Kommunene søker.")
    expected = {column: getattr(Scheme.objects.get(pk=scheme.pk), column) for column in _COLUMNS}
    Scheme.objects.filter(pk=scheme.pk).update(**dict.fromkeys(_COLUMNS, ""))
    migration = importlib.import_module("schemes.migrations.0007_scheme_search_documents")
    migration.index_existing(apps, SimpleNamespace(connection=SimpleNamespace(alias=database)))
    assert {column: getattr(Scheme.objects.get(pk=scheme.pk), column) for column in _COLUMNS} == expected
    assert " bærekraft " in expected["search_name"] and " kommun " in expected["search_calls"]
    scheme_search_refresh(scheme=scheme)  # and the service writes the same
    assert {column: getattr(Scheme.objects.get(pk=scheme.pk), column) for column in _COLUMNS} == expected


_COLUMNS = ("search_name", "search_summary", "search_text", "search_calls")
