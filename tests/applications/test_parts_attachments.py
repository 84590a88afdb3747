"""The attachment page through the Django client: uploading to a slot, hostile files refused with
the draft untouched, names sanitised and files stored under generated names, removing, who may
see, change and download, query count."""

import copy
import io
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, ApplicationEvent, ApplicationFile
from applications.services import application_file_add, application_partner_add
from applications.workflow import State
from attachments.models import StoredFile
from organisations.models import Membership
from tests.attachments import test_screening as screening
from tests.attachments.files import docx_bytes, docx_members, pdf_bytes, zip_bytes
from tests.example_forms import FULL_FORM
from tests.factories import MembershipFactory, OrganisationFactory, call_with_form, make_application

pytestmark = pytest.mark.django_db

SLOT = "prosjektbeskrivelse"  # pdf, one file
CV = "cv"  # pdf or docx, several files
MB = 1024 * 1024


@pytest.fixture
def private_dir(settings, tmp_path):
    directory = tmp_path / "private"
    directory.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(directory), "base_url": None}},
    }
    return directory


@pytest.fixture
def app(private_dir):
    definition = copy.deepcopy(FULL_FORM)
    for section in definition["sections"]:
        for question in section["questions"]:
            if question["key"] == SLOT:
                question["params"]["max_size_mb"] = 1  # a small limit to go over
    return make_application(call=call_with_form(definition=definition))


def _member(application):
    return application.organisation.memberships.get().user


def _url(application, key=SLOT):
    return reverse("application-attachments", args=[application.pk, key])


def _files_on_disk(directory):
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


def _state(application, directory):
    application = Application.objects.get(pk=application.pk)
    return (
        application.answers,
        application.sections,
        list(application.files.values_list("pk", "attached")),
        ApplicationEvent.objects.filter(application=application).count(),
        StoredFile.objects.count(),
        _files_on_disk(directory),
    )


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body with the file name exactly as given (the test client would strip directories)."""
    boundary = "grense-1234567890"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _upload_with_a_first_file(client, app):
    """A member uploads a good PDF first, so a refusal afterwards can be shown to leave it be."""
    client.force_login(_member(app))
    response = client.post(_url(app), {"file": SimpleUploadedFile("riktig.pdf", pdf_bytes())})
    assert response.status_code == 302


def test_a_member_uploads_a_pdf_and_sees_it_listed_with_size_time_and_who(client, app):
    user = _member(app)
    client.force_login(user)
    response = client.post(_url(app), {"file": SimpleUploadedFile("Søknad 2026.pdf", pdf_bytes())}, follow=True)
    assert "Søknad 2026.pdf er lastet opp." in response.text
    attached = ApplicationFile.objects.get(application=app)
    assert Application.objects.get(pk=app.pk).answers[SLOT]["name"] == "Søknad 2026.pdf"
    text = response.text.replace("\xa0", " ")
    assert reverse("file-download", args=[attached.stored_file_id]) in text
    assert str(user.full_name) in text
    assert "byte" in text  # the size, in Norwegian
    assert 'accept=".pdf"' in text


def test_the_size_is_shown_in_megabytes_the_norwegian_way(client, app):
    user = _member(app)
    content = pdf_bytes(body=b"%" + b"x" * (1258291 - len(pdf_bytes())) + b"\n")
    application_file_add(application_id=app.pk, question_key=CV, uploaded_file=SimpleUploadedFile("stor.pdf", content),
                         by_user=user)  # fmt: skip
    client.force_login(user)
    assert "1,2\xa0MB" in client.get(_url(app, CV)).text


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in docx_members():
            archive.writestr(name, data)
        with archive.open("word/media/image1.png", "w") as member:
            zeros = bytes(MB)
            for _ in range(200):
                member.write(zeros)
    return out.getvalue()


HOSTILE = [
    pytest.param(SLOT, "program.exe", b"MZ" + b"\x00" * 100, "exe", id="wrong-extension"),
    pytest.param(SLOT, "skjema.docx", docx_bytes(), "docx", id="allowed-elsewhere-not-here"),
    pytest.param(
        SLOT,
        "side.pdf",
        pdf_bytes(body=b"<html><body><script>alert(1)</script></body></html>\n"),
        "PDF",
        id="pdf-header-html-body",
    ),
    pytest.param(SLOT, "stor.pdf", pdf_bytes(body=b"%" + b"x" * MB + b"\n"), "1 MB", id="oversized"),
    pytest.param(CV, "bombe.docx", None, "komprimert", id="zip-bomb"),
    pytest.param(SLOT, "skript.pdf", screening.pdf(screening.open_action_js), "JavaScript", id="pdf-javascript"),
    pytest.param(
        SLOT,
        "låst.pdf",
        screening.pdf(encryption=pikepdf.Encryption(user="x", owner="x")),
        "passordbeskyttet",
        id="pdf-password",
    ),
    pytest.param(
        CV, "makro.docx", zip_bytes([*docx_members(), ("word/vbaProject.bin", b"\x00")]), "makroer", id="docx-macros"
    ),
]


@pytest.mark.parametrize(("slot", "name", "content", "named"), HOSTILE)
def test_a_hostile_upload_is_refused_with_the_reason_and_the_draft_untouched(client, app, private_dir, slot, name,
                                                                             content, named):  # fmt: skip
    _upload_with_a_first_file(client, app)
    before = _state(app, private_dir)
    content = _bomb() if content is None else content
    response = client.post(_url(app, slot), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert named in errors.replace("\xa0", " ")
    assert "Filen ble ikke lagret. Søknaden er som før." in response.text
    assert _state(app, private_dir) == before
    assert "riktig.pdf" in client.get(_url(app)).text


def test_an_empty_file_is_refused_and_nothing_is_written(client, app, private_dir):
    _upload_with_a_first_file(client, app)
    before = _state(app, private_dir)
    response = client.post(_url(app), {"file": SimpleUploadedFile("tom.pdf", b"")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert _state(app, private_dir) == before


def test_no_file_chosen_is_an_error_on_the_field(client, app, private_dir):
    client.force_login(_member(app))
    before = _state(app, private_dir)
    response = client.post(_url(app), {})
    assert response.context["form"].errors["file"] == ["Velg en fil å laste opp."]
    assert _state(app, private_dir) == before


def test_a_path_traversal_name_is_stored_under_a_generated_name_and_shown_sanitised(client, app, private_dir):
    client.force_login(_member(app))
    body, content_type = _multipart("../../etc/passwd.pdf", pdf_bytes())
    response = client.generic("POST", _url(app), body, content_type=content_type)
    assert response.status_code == 302
    stored = ApplicationFile.objects.get(application=app).stored_file
    assert stored.display_name == "passwd.pdf"
    assert "passwd" not in stored.storage_name and ".." not in stored.storage_name
    assert _files_on_disk(private_dir) == [stored.storage_name]
    assert not (private_dir.parent.parent / "etc").exists()


def test_a_very_long_name_is_shortened_keeping_the_extension(client, app):
    client.force_login(_member(app))
    body, content_type = _multipart("å" * 400 + ".pdf", pdf_bytes())
    assert client.generic("POST", _url(app), body, content_type=content_type).status_code == 302
    name = ApplicationFile.objects.get(application=app).stored_file.display_name
    assert name.endswith(".pdf") and len(name) <= 120 and name.startswith("ååå")


def test_a_new_file_in_a_one_file_slot_replaces_the_old_one(client, app):
    _upload_with_a_first_file(client, app)
    client.post(_url(app), {"file": SimpleUploadedFile("ny.pdf", pdf_bytes())}, follow=True)
    page = client.get(_url(app)).text
    assert "ny.pdf" in page and "riktig.pdf" not in page


def test_remove_detaches_the_file_and_a_second_remove_is_404(client, app):
    _upload_with_a_first_file(client, app)
    attached = ApplicationFile.objects.get(application=app)
    url = reverse("application-file-remove", args=[app.pk, attached.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == _url(app)
    assert "riktig.pdf er fjernet." in response.text
    assert not ApplicationFile.objects.get(pk=attached.pk).attached
    assert Application.objects.get(pk=app.pk).answers[SLOT] is None
    assert client.post(url).status_code == 404


def test_a_partner_reads_and_downloads_but_cannot_upload_or_remove_and_a_stranger_gets_404(client, app, private_dir):
    user = _member(app)
    partner_org = OrganisationFactory()
    application_partner_add(application_id=app.pk, question_key="partnere", org_number=partner_org.org_number,
                            role="partner", by_user=user)  # fmt: skip
    shared = SimpleUploadedFile("delt.pdf", pdf_bytes())
    attached = application_file_add(application_id=app.pk, question_key=SLOT, uploaded_file=shared, by_user=user)
    download = reverse("file-download", args=[attached.stored_file_id])
    remove = reverse("application-file-remove", args=[app.pk, attached.pk])
    new_file = {"file": SimpleUploadedFile("ny.pdf", pdf_bytes())}
    before = _state(app, private_dir)

    client.force_login(MembershipFactory(organisation=partner_org).user)
    page = client.get(_url(app))
    assert page.status_code == 200 and "delt.pdf" in page.text
    assert 'type="file"' not in page.text and "/fjern/" not in page.text
    assert client.get(download).status_code == 200
    assert client.post(_url(app), new_file).status_code == 403
    assert client.post(remove).status_code == 403

    client.force_login(MembershipFactory().user)
    assert client.get(_url(app)).status_code == 404
    assert client.get(download).status_code == 404
    new_file["file"].seek(0)
    assert client.post(_url(app), new_file).status_code == 404
    assert client.post(remove).status_code == 404
    assert _state(app, private_dir) == before

    # The same upload by the ansvarlig goes through.
    client.force_login(MembershipFactory(organisation=app.organisation, role=Membership.Role.ANSVARLIG).user)
    new_file["file"].seek(0)
    assert client.post(_url(app), new_file).status_code == 302


def test_a_submitted_application_shows_its_files_read_only(client, app):
    _upload_with_a_first_file(client, app)
    Application.objects.filter(pk=app.pk).update(state=State.SUBMITTED)
    page = client.get(_url(app))
    assert "riktig.pdf" in page.text and 'type="file"' not in page.text
    assert client.post(_url(app), {"file": SimpleUploadedFile("x.pdf", pdf_bytes())}).status_code == 403


def test_a_question_that_is_not_an_attachment_slot_is_404(client, app):
    client.force_login(_member(app))
    assert client.get(_url(app, "partnere")).status_code == 404


def test_a_slot_with_many_files_has_a_fixed_number_of_queries(client, app, django_assert_max_num_queries):
    user = _member(app)
    for number in range(12):
        application_file_add(application_id=app.pk, question_key=CV, by_user=user,
                             uploaded_file=SimpleUploadedFile(f"cv-{number}.pdf", pdf_bytes()))  # fmt: skip
    client.force_login(user)
    with django_assert_max_num_queries(9):
        response = client.get(_url(app, CV))
    assert response.text.count("/fjern/") == 12
    assert 'accept=".pdf,.docx"' in response.text
