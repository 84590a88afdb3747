"""/statistikk/innovative-anskaffelser/ through the Django client: the programme's targets against the
funded projects of the schemes whose instrument it counts; bodies counted once; regions from the
project's public place or else the owner's county; per year; nb/nn/en; CSV; the admin edits the
targets (staff only) and a pinned query count."""

import csv
import io

import pytest
from django.urls import reverse

from organisations.models import County, Municipality
from projects.kpi import ProcurementProgramme, ProgrammeInstrument
from projects.models import Decision
from schemes.models import Theme
from tests.factories import OrganisationFactory, SchemeFactory, StaffFactory, SuperuserFactory, UserFactory
from tests.html import by_role, table_rows, visible_text
from tests.otp import force_login_verified
from tests.projects.helpers import make_project

pytestmark = pytest.mark.django_db

URL = reverse("procurement-kpis")
HEADER = ["Gruppe", "Statlige virksomheter", "Kommunale virksomheter", "OFI- og FKA-prosesser",
          "herav tjenesteinnovasjoner", "herav OFI", "herav FKA"]  # fmt: skip


def make_programme(**fields) -> ProcurementProgramme:
    defaults = {"name": "Leverandørutviklingsprogrammet", "name_en": "Supplier programme", "first_year": 2022,
                "last_year": 2024, "target_state_bodies": 2, "target_municipal_bodies": 2}  # fmt: skip
    programme = ProcurementProgramme.objects.create(**{**defaults, **fields})
    ProgrammeInstrument.objects.create(programme=programme, instrument="innovasjonspartnerskap", process="ppi")
    ProgrammeInstrument.objects.create(programme=programme, instrument="forkommersiell-anskaffelse", process="pcp")
    programme.service_themes.set([Theme.objects.get(slug="tjenesteutvikling")])
    return programme


@pytest.fixture
def kpis():
    return kpi_world()


def kpi_world() -> ProcurementProgramme:
    """A programme for 2022–2024 and projects that count, and some that do not, for it."""
    ProcurementProgramme.objects.all().delete()  # the migration's default programme
    programme = make_programme()
    ppi, pcp = (
        SchemeFactory(instrument="innovasjonspartnerskap"),
        SchemeFactory(instrument="forkommersiell-anskaffelse"),
    )
    grant = SchemeFactory(instrument="tilskudd")
    service = Theme.objects.get(slug="tjenesteutvikling")
    oslo, bergen = Municipality.objects.get(number="0301"), Municipality.objects.get(number="4601")
    state = OrganisationFactory(kind="statlig", municipality=oslo, county=oslo.county)
    hospital = OrganisationFactory(kind="helseforetak")
    kommune = OrganisationFactory(kind="kommune", municipality=bergen, county=bergen.county)
    fylkeskommune = OrganisationFactory(kind="fylkeskommune", county=County.objects.get(number="50"))
    company = OrganisationFactory(kind="bedrift")
    for year, scheme, owner, place, extra in [
        (2022, ppi, state, oslo, {"themes": [service]}),
        (2023, ppi, state, oslo, {}),  # the same body again
        (2023, pcp, kommune, bergen, {"themes": [service]}),
        (2024, pcp, fylkeskommune, oslo, {"public_place": False}),  # place hidden: the owner's county counts
        (2024, ppi, company, oslo, {}),  # a process, but no public body
        (2021, ppi, hospital, oslo, {}),  # before the period
        (2023, grant, hospital, oslo, {}),  # an instrument the programme does not count
        (2023, ppi, hospital, oslo, {"decision": Decision.REFUSED, "amount_granted": None}),  # not funded
    ]:  # fmt: skip
        make_project(year=year, scheme=scheme, organisation=owner, municipality=place, **extra)
    return programme


def test_progress_towards_each_target(client, kpis):
    response = client.get(URL)
    assert response.status_code == 200
    assert table_rows(response.text, "Måloppnåelse for perioden (tabell)") == [
        ["Mål", "Målet", "Oppnådd", "Andel av målet", "Nådd"],
        ["Statlige virksomheter", "2", "1", "50 %", "Nei"],
        ["Kommunale virksomheter", "2", "2", "100 %", "Ja"],
        ["OFI- og FKA-prosesser", "60", "5", "8 %", "Nei"],
        ["herav tjenesteinnovasjoner", "10", "2", "20 %", "Nei"],
    ]


def test_per_region_and_per_year(client, kpis):
    response = client.get(URL)
    assert table_rows(response.text, "Prosesser og virksomheter per region (tabell)") == [
        HEADER,
        ["Østlandet", "1", "0", "3", "1", "3", "0"],
        ["Midt- og Nord-Norge", "0", "1", "1", "0", "0", "1"],
        ["Sør- og Vestlandet", "0", "1", "1", "1", "0", "1"],
    ]
    assert table_rows(response.text, "Prosesser og virksomheter per år (tabell)")[1:] == [
        ["2022", "1", "0", "1", "1", "1", "0"],
        ["2023", "1", "1", "2", "1", "1", "1"],
        ["2024", "0", "1", "2", "0", "1", "1"],
    ]


def test_each_chart_has_a_title_a_text_alternative_and_a_csv(client, kpis):
    response = client.get(URL)
    images = by_role(response.text, "img")
    assert len(images) == 3
    assert all("Alle tall står i tabellen" in (svg.find(".//{*}desc").text or "") for svg in images)
    assert "Statlige virksomheter: 1 av 2" in visible_text(response.text)
    link = by_role(response.text, "link", "Last ned «Prosesser og virksomheter per region» som CSV")[0]
    rows = list(csv.reader(io.StringIO(client.get(link.get("href")).content.decode())))
    assert rows[0] == ["gruppe", "statlige_virksomheter", "kommunale_virksomheter", "prosesser",
                       "tjenesteinnovasjoner", "ofi", "fka"]  # fmt: skip
    assert rows[1] == ["ostlandet", "1", "0", "3", "1", "3", "0"]
    rows = list(csv.reader(io.StringIO(client.get(reverse("procurement-kpis-csv", args=["mal"])).content.decode())))
    assert rows[3] == ["processes", "60", "5", "8"]
    assert client.get(reverse("procurement-kpis-csv", args=["nope"])).status_code == 404


def test_another_period_is_chosen_by_its_id_and_an_unknown_one_shows_an_error(client, kpis):
    older = make_programme(name="Forrige periode", first_year=2018, last_year=2021, target_processes=4)
    response = client.get(URL, {"periode": older.pk})
    progress = table_rows(response.text, "Måloppnåelse for perioden (tabell)")
    assert progress[3] == ["OFI- og FKA-prosesser", "4", "1", "25 %", "Nei"]
    response = client.get(URL, {"periode": "999999"})
    assert response.status_code == 200
    assert visible_text(response.text, ".ds-error-summary")  # the latest period is shown instead
    assert table_rows(response.text, "Måloppnåelse for perioden (tabell)")[3][1] == "60"


def test_english_and_nynorsk(client, kpis):
    client.cookies["django_language"] = "en"
    response = client.get(URL)
    assert by_role(response.text, "heading", level=1)[0].text_content().strip() == "Innovative procurement"
    assert "Supplier programme 2022–2024" in visible_text(response.text)
    assert "The period 2022–2024." in visible_text(response.text)
    client.cookies["django_language"] = "nn"
    response = client.get(URL)
    assert by_role(response.text, "img")


def test_without_a_programme_the_page_says_so(client):
    ProcurementProgramme.objects.all().delete()
    response = client.get(URL)
    assert "Ingen mål er lagt inn ennå." in visible_text(response.text)
    assert client.get(reverse("procurement-kpis-csv", args=["mal"])).status_code == 404


def test_a_constant_number_of_queries(client, kpis, django_assert_max_num_queries):
    scheme = SchemeFactory(instrument="innovasjonspartnerskap")
    for n in range(30):
        make_project(title=f"P{n}", year=2022 + n % 3, scheme=scheme, organisation=OrganisationFactory(kind="statlig"))
    # the latest period, the programme's instruments, the total, per region, per year, the period
    # choices (rendered by the form, which reads them afresh)
    with django_assert_max_num_queries(7):
        assert client.get(URL).status_code == 200


def test_the_migration_sets_the_programmes_targets():
    programme = ProcurementProgramme.objects.get()
    assert (programme.target_state_bodies, programme.target_municipal_bodies) == (15, 15)
    assert (programme.target_processes, programme.target_service_innovations) == (60, 10)
    assert set(programme.instruments.values_list("instrument", "process")) == {
        ("innovasjonspartnerskap", "ppi"), ("forkommersiell-anskaffelse", "pcp")
    }  # fmt: skip


def test_only_admins_edit_the_targets(client, kpis):
    url = reverse("admin:projects_procurementprogramme_change", args=[kpis.pk])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302  # to the admin login
    force_login_verified(client, StaffFactory())  # staff without the permission
    assert client.get(url).status_code == 403
    data = {
        "name": kpis.name, "name_nn": "", "name_en": "", "first_year": 2022, "last_year": 2025,
        "target_state_bodies": 20, "target_municipal_bodies": 15, "target_processes": 60,
        "target_service_innovations": 10, "instruments-TOTAL_FORMS": 0, "instruments-INITIAL_FORMS": 0,
    }  # fmt: skip
    assert client.post(url, data).status_code == 403
    kpis.refresh_from_db()
    assert kpis.target_state_bodies == 2
    force_login_verified(client, SuperuserFactory())
    assert client.get(url).status_code == 200
    response = client.post(url, {**data, "last_year": 2020})
    assert "«Til år» kan ikke være før «fra år»." in visible_text(response.content.decode())
    assert client.post(url, data).status_code == 302
    kpis.refresh_from_db()
    assert (kpis.target_state_bodies, kpis.last_year) == (20, 2025)
