"""The history import (service and management command): the sample file imports, a re-import changes
nothing, every bad row is reported with its line and nothing is written, --dry-run writes nothing."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from organisations.models import Organisation
from projects.history import history_import
from projects.models import Decision, Project, ProjectStatus
from tests.factories import OrganisationFactory, SchemeFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "projects" / "data" / "history_sample.csv"
HEADER = "external_id,year,scheme,organisation_number,title,amount_applied,amount_granted,decision,kommunenummer,sdgs\n"


@pytest.fixture
def schemes():
    return [SchemeFactory(slug=slug) for slug in ("stimulab", "innovasjonspartnerskap", "offentlig-sektor-phd")]


def test_the_sample_file_imports_and_a_second_import_changes_nothing(schemes):
    report = history_import(file=SAMPLE.open("rb"))
    assert report.ok and (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    funded = Project.objects.get(external_id="eksempel-2022-002")
    assert funded.title == "Digitalt tilsyn i hjemmetjenesten" and funded.amount_granted == 4_500_000
    assert funded.municipality_id == "0301" and funded.county_id == "03" and funded.status == ProjectStatus.ONGOING
    assert [goal.number for goal in funded.sdgs.all()] == [3]
    assert funded.organisation.org_number == "964338531" and funded.organisation.kind == "kommune"
    assert " tilsyn " in funded.search_document
    refused = Project.objects.get(external_id="eksempel-2023-003")
    assert refused.decision == Decision.REFUSED and refused.amount_granted is None
    assert refused.status == ProjectStatus.NOT_FUNDED
    organisations = Organisation.objects.count()

    again = history_import(file=SAMPLE.open("rb"))
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Project.objects.count() == 3 and Organisation.objects.count() == organisations


def test_a_changed_row_updates_its_project_and_an_existing_organisation_is_reused(schemes):
    owner = OrganisationFactory()
    row = f"h-1,2020,stimulab,{owner.org_number},Første tittel,100000,90000,innvilget,0301,\n"
    history_import(file=io.StringIO(HEADER + row))
    report = history_import(file=io.StringIO(HEADER + row.replace("Første tittel", "Ny tittel")))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert Project.objects.get(external_id="h-1").title == "Ny tittel"
    assert Project.objects.get(external_id="h-1").organisation == owner


def test_every_bad_row_is_reported_by_line_and_nothing_is_written(schemes):
    good = "ok-1,2020,stimulab,974760673,Et godt prosjekt,100000,90000,innvilget,0301,3\n"
    bad = (
        "bad-1,2020,finnes-ikke,974760674,Tittel,100000,90000,innvilget,9999,3\n"
        "bad-2,20x0,stimulab,974760673,,mange,,kanskje,0301,42\n"
        "ok-1,2021,stimulab,974760673,Samme id igjen,100000,90000,innvilget,0301,\n"
    )
    report = history_import(file=io.StringIO(HEADER + good + bad))
    found = {(error.line, error.column) for error in report.errors}
    assert {(3, "scheme"), (3, "organisation_number"), (3, "kommunenummer")} <= found
    assert {(4, "year"), (4, "title"), (4, "amount_applied"), (4, "decision"), (4, "sdgs")} <= found
    assert (5, "external_id") in found
    assert not any(line == 2 for line, _column in found)
    assert not report.ok and report.created == 0
    assert not Project.objects.exists()
    message = next(error.message for error in report.errors if error.column == "organisation_number")
    assert "Kontrollsifferet" in message


def test_missing_columns_are_reported():
    report = history_import(file=io.StringIO("external_id,title\nx,y\n"))
    assert not report.ok and "scheme" in report.errors[0].message


def test_the_command_with_dry_run_writes_nothing_and_without_it_imports(schemes, capsys):
    call_command("import_history", str(SAMPLE), "--dry-run")
    assert "3 nye" in capsys.readouterr().out and not Project.objects.exists()
    call_command("import_history", str(SAMPLE))
    assert Project.objects.count() == 3


def test_the_command_fails_on_errors_listing_them(tmp_path, capsys):
    path = tmp_path / "feil.csv"
    path.write_text(HEADER + "x,2020,ukjent,974760673,T,1,1,innvilget,0301,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_history", str(path))
    assert "linje 2 [scheme]" in capsys.readouterr().err
    assert not Project.objects.exists()


def test_a_row_that_fails_while_writing_leaves_nothing_of_the_file(schemes):
    header = HEADER.replace(",sdgs\n", ",organisation_kind\n")
    rows = (
        "w-1,2020,stimulab,974760673,Skrives først,1,1,innvilget,0301,statlig\n"
        "w-2,2020,stimulab,958935420,En kommune uten kommunenummer,1,1,innvilget,,kommune\n"
    )
    report = history_import(file=io.StringIO(header + rows))
    assert not report.ok and report.errors[0].line == 3
    assert report.created == 0 and not Project.objects.exists()
    assert not Organisation.objects.filter(org_number__in=["974760673", "958935420"]).exists()


def test_admins_import_through_the_admin_page_and_applicants_may_not(client, schemes):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import MembershipFactory, SuperuserFactory
    from tests.html import table_rows, visible_text
    from tests.otp import force_login_verified

    url = reverse("admin:projects_project_import")
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 302  # to the admin login: not staff
    force_login_verified(client, SuperuserFactory())
    assert "Importer historikk" in visible_text(client.get(reverse("admin:projects_project_changelist")).text)
    upload = SimpleUploadedFile("historikk.csv", SAMPLE.read_bytes(), content_type="text/csv")
    response = client.post(url, {"csv_file": upload, "dry_run": "on"})
    assert "Prøvekjøring" in visible_text(response.text) and not Project.objects.exists()
    upload = SimpleUploadedFile("historikk.csv", SAMPLE.read_bytes(), content_type="text/csv")
    response = client.post(url, {"csv_file": upload})
    assert "3 rader: 3 nye, 0 endret, 0 uendret." in visible_text(response.text)
    assert Project.objects.count() == 3
    bad = SimpleUploadedFile("feil.csv", (HEADER + "x,2020,ukjent,974760673,T,1,1,innvilget,0301,\n").encode())
    response = client.post(url, {"csv_file": bad})
    assert table_rows(response.text, "Feil per rad")[1:] == [["2", "scheme", "Ukjent ordning «ukjent»."]]
