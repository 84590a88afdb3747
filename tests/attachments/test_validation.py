"""validate_upload: every kind accepted with a real file; hostile files refused with a clear message."""

import hashlib
import io
import time
import zipfile

import pytest

from attachments.errors import UploadRejected
from attachments.kinds import MAX_ZIP_MEMBERS
from attachments.validation import validate_upload
from tests.attachments import files
from tests.attachments.conftest import upload

ALL = ["pdf", "docx", "xlsx", "odt", "ods", "png", "jpg"]
MB = 1024 * 1024


def rejected(name, content, *, allowed=ALL, max_bytes=10 * MB) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        validate_upload(uploaded_file=upload(name, content), allowed=allowed, max_bytes=max_bytes)
    return caught.value


@pytest.mark.parametrize(
    ("name", "build", "kind", "content_type"),
    [
        ("søknad.pdf", files.pdf_bytes, "pdf", "application/pdf"),
        ("prosjektbeskrivelse.docx", files.docx_bytes, "docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("budsjett.xlsx", files.xlsx_bytes, "xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("plan.odt", files.odt_bytes, "odt", "application/vnd.oasis.opendocument.text"),
        ("tall.ods", files.ods_bytes, "ods", "application/vnd.oasis.opendocument.spreadsheet"),
        ("logo.png", files.png_bytes, "png", "image/png"),
        ("bilde.jpg", files.jpeg_bytes, "jpg", "image/jpeg"),
        ("bilde.JPEG", files.jpeg_bytes, "jpg", "image/jpeg"),
    ],
)  # fmt: skip
def test_every_kind_is_accepted_with_a_real_file(name, build, kind, content_type):
    content = build()
    result = validate_upload(uploaded_file=upload(name, content), allowed=ALL, max_bytes=MB)
    assert (result.kind, result.content_type, result.size) == (kind, content_type, len(content))
    assert result.sha256 == hashlib.sha256(content).hexdigest()
    assert result.safe_name == name.rsplit(".", 1)[0] + "." + name.rsplit(".", 1)[1].lower()


def test_a_kind_the_slot_does_not_allow_is_refused_naming_what_is_allowed():
    error = rejected("logo.png", files.png_bytes(), allowed=["pdf", "docx"])
    assert error.code == "extension_not_allowed"
    assert error.message == "Filtypen .png kan ikke lastes opp her. Tillatt: .pdf, .docx."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.pdf", files.png_bytes(), "Filen heter .pdf, men innholdet er ikke en PDF."),
        ("søknad.png", files.pdf_bytes(), "Filen heter .png, men innholdet er ikke et PNG-bilde."),
        ("budsjett.docx", files.xlsx_bytes(), "Filen heter .docx, men innholdet er ikke et Word-dokument."),
        ("plan.ods", files.odt_bytes(), "Filen heter .ods, men innholdet er ikke et OpenDocument-regneark."),
        ("plan.odt", files.docx_bytes(), "Filen heter .odt, men innholdet er ikke et OpenDocument-tekstdokument."),
        ("bilde.jpg", b"\xff\xd8\xff<html>", "Filen heter .jpg, men innholdet er ikke et JPEG-bilde."),
        ("tekst.pdf", b"Dette er bare tekst.", "Filen heter .pdf, men innholdet er ikke en PDF."),
    ],
)
def test_wrong_content_for_the_extension_is_refused(name, content, message):
    error = rejected(name, content)
    assert (error.code, error.message) == ("content_mismatch", message)


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
        b"%PDF-1.7\n<!DOCTYPE html><p>hei</p>\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
        b"%PDF-1.7\n<svg onload=alert(1)>\n%%EOF\n",
        files.pdf_bytes(body=b"<script>alert(1)</script>\n"),
        b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",  # no %%EOF: not a whole PDF
    ],
    ids=["html-body", "doctype-before-objects", "svg", "script-before-objects", "no-eof"],
)
def test_a_pdf_header_on_an_html_body_is_refused(content):
    assert rejected("faktura.pdf", content).code == "content_mismatch"


def test_zero_bytes_are_refused():
    error = rejected("tom.pdf", b"")
    assert (error.code, error.message) == ("empty", "Tomme filer kan ikke lastes opp.")


def test_exactly_at_the_limit_passes_and_one_byte_over_is_refused_naming_both_sizes():
    content = files.pdf_bytes()
    assert validate_upload(uploaded_file=upload("a.pdf", content), allowed=["pdf"], max_bytes=len(content)).size == len(
        content
    )
    error = rejected("a.pdf", content, max_bytes=len(content) - 1)
    assert error.code == "too_large"
    assert error.message.startswith("Filen er 1 kB, men grensen er ")


def test_the_size_message_reads_like_the_issue():
    big = files.pdf_bytes(body=b"%" + b"x" * int(12.35 * MB) + b"\n")
    error = rejected("stor.pdf", big, max_bytes=10 * MB)
    assert error.message == "Filen er 12,4 MB, men grensen er 10 MB."


def test_an_oversized_file_is_refused_without_reading_it_all():
    class CountingUpload(io.BytesIO):
        name, size, read_bytes = "stor.pdf", None, 0

        def chunks(self, chunk_size=64 * 1024):
            self.seek(0)
            while chunk := self.read(chunk_size):
                self.read_bytes += len(chunk)
                yield chunk

    uploaded = CountingUpload(b"%PDF-1.7\n" + b"0" * (5 * MB))
    with pytest.raises(UploadRejected):
        validate_upload(uploaded_file=uploaded, allowed=["pdf"], max_bytes=MB)
    assert uploaded.read_bytes <= MB + 64 * 1024


def test_the_slot_limit_never_exceeds_the_portal_wide_cap(settings):
    settings.MAX_UPLOAD_BYTES = 100
    error = rejected("a.pdf", files.pdf_bytes(), max_bytes=10 * MB)
    assert error.message.endswith("men grensen er 0 kB.")  # 100 bytes, rounded down


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\x.pdf", "x.pdf"),
        ("/var/www/x.pdf", "x.pdf"),
        ("rapport\u202eftp.pdf", "rapportftp.pdf"),
        ("a" * 1000 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_hostile_names_are_accepted_only_as_a_harmless_display_name(name, expected):
    result = validate_upload(uploaded_file=upload(name, files.pdf_bytes()), allowed=["pdf"], max_bytes=MB)
    assert result.safe_name == expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x.pdf.html", "Filtypen .html kan ikke lastes opp her. Tillatt: .pdf."),
        ("faktura\u202efdp.exe", "Filtypen .exe kan ikke lastes opp her. Tillatt: .pdf."),
        ("uten-endelse", "Filnavnet mangler filtype. Tillatt: .pdf."),
    ],
)
def test_the_last_extension_counts(name, message):
    error = rejected(name, files.pdf_bytes(), allowed=["pdf"])
    assert (error.code, error.message) == ("extension_not_allowed", message)


# --- archives -----------------------------------------------------------------------------------
def _no_extraction(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a member was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


def test_a_zip_bomb_is_refused_quickly_without_extracting_anything(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in files.docx_members():
            archive.writestr(name, data)
        with archive.open("word/media/image1.png", "w") as member:  # 200 MB of zeros, ~200 kB packed
            zeros = bytes(MB)
            for _ in range(200):
                member.write(zeros)
    bomb = out.getvalue()
    assert len(bomb) < MB
    _no_extraction(monkeypatch)
    started = time.perf_counter()
    error = rejected("bombe.docx", bomb)
    assert time.perf_counter() - started < 1.0
    assert error.code == "archive_unsafe"
    assert "komprimert" in error.message


def test_a_zip_with_too_many_members_is_refused_before_they_are_parsed(monkeypatch):
    content = files.zip_bytes(files.docx_members() + [(f"word/x{n}.xml", b"") for n in range(MAX_ZIP_MEMBERS)])
    _no_extraction(monkeypatch)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", lambda *a, **k: pytest.fail("central directory was parsed"))
    error = rejected("mange.docx", content)
    assert error.code == "archive_unsafe"
    assert error.message == f"Dokumentet består av for mange deler ({MAX_ZIP_MEMBERS + 3}, grensen er 1000)."


@pytest.mark.parametrize("member", ["../../evil.sh", "word/../../evil.sh", "/etc/cron.d/evil", "C:/evil", "..\\evil"])
def test_a_document_with_a_climbing_member_path_is_refused(monkeypatch, member):
    content = files.zip_bytes([*files.docx_members(), (member, b"x")])
    _no_extraction(monkeypatch)
    error = rejected("lur.docx", content)
    assert error.code == "archive_unsafe"


def test_a_macro_enabled_document_renamed_to_docx_is_refused():
    content = files.zip_bytes([*files.docx_members(), ("word/vbaProject.bin", b"\x00" * 10)])
    assert rejected("makro.docx", content).code == "office_macros"


def test_an_odt_whose_mimetype_is_compressed_or_wrong_is_refused():
    compressed = files.zip_bytes([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")])
    wrong = files.zip_bytes([("mimetype", b"text/html"), ("content.xml", b"<x/>")], stored_first=True)
    assert rejected("a.odt", compressed).code == "content_mismatch"
    assert rejected("a.odt", wrong).code == "content_mismatch"


def test_a_plain_zip_named_docx_is_refused():
    assert rejected("arkiv.docx", files.zip_bytes([("readme.txt", b"hei")])).code == "content_mismatch"


def test_a_truncated_zip_is_refused():
    assert rejected("halv.docx", files.docx_bytes()[:200]).code == "content_mismatch"
