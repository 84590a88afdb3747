"""Hostile uploads (issue 18): PDFs with active content or a password, built here with pikepdf, and
Word/Excel files with macros or external links; each refused with a message saying why. Harmless
files of the same kinds (a form field, an ordinary hyperlink) are accepted."""

import io

import pikepdf
import pytest

from attachments.errors import UploadRejected
from attachments.validation import validate_upload
from tests.attachments import files
from tests.attachments.conftest import upload

MB = 1024 * 1024
ALL = ["pdf", "docx", "xlsx"]


def pdf(change=None, *, encryption=None) -> bytes:
    """A one-page PDF written by pikepdf, after ``change(pdf)``."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(200, 200))
    if change:
        change(document)
    out = io.BytesIO()
    document.save(out, encryption=encryption)
    return out.getvalue()


def refused(name, content) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        validate_upload(uploaded_file=upload(name, content), allowed=ALL, max_bytes=10 * MB)
    return caught.value


def accepted(name, content):
    return validate_upload(uploaded_file=upload(name, content), allowed=ALL, max_bytes=10 * MB)


def open_action_js(document):
    action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hei')"))
    document.Root.OpenAction = action  # a direct dictionary inside the catalog


def names_javascript(document):
    script = document.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1")))
    document.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["a", script])))


def page_action_js(document):
    page = document.pages[0].obj
    page.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1")))


def launch(document):
    document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))


def embedded_file(document):
    document.attachments["skjult.exe"] = pikepdf.AttachedFileSpec(document, b"MZ\x90\x00", filename="skjult.exe")


def xfa(document):
    document.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pikepdf.Array([]))


@pytest.mark.parametrize(
    ("change", "code", "says"),
    [
        (open_action_js, "pdf_javascript", "JavaScript"),
        (names_javascript, "pdf_javascript", "JavaScript"),
        (page_action_js, "pdf_javascript", "JavaScript"),
        (launch, "pdf_launch", "starter andre programmer"),
        (embedded_file, "pdf_embedded_files", "andre filer lagt inni seg"),
        (xfa, "pdf_xfa", "XFA"),
    ],
)
def test_a_pdf_with_active_content_is_refused_saying_why(change, code, says):
    error = refused("søknad.pdf", pdf(change))
    assert error.code == code
    assert says in error.messages[0]


def test_a_password_protected_pdf_is_refused_saying_so():
    locked = pdf(encryption=pikepdf.Encryption(user="hemmelig", owner="hemmelig"))
    error = refused("låst.pdf", locked)
    assert error.code == "pdf_encrypted"
    assert "passordbeskyttet" in error.messages[0]


def test_a_pdf_anyone_can_open_is_accepted_even_with_an_owner_password_and_a_form():
    def form(document):
        document.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array())

    assert accepted("skjema.pdf", pdf(form)).kind == "pdf"
    assert accepted("vern.pdf", pdf(encryption=pikepdf.Encryption(user="", owner="eier"))).kind == "pdf"
    assert accepted("enkel.pdf", files.pdf_bytes()).kind == "pdf"


def test_a_pdf_pikepdf_cannot_read_is_refused_as_damaged():
    damaged = files.pdf_bytes().replace(b"/Root 1 0 R", b"/Root 9 0 R")
    error = refused("skadet.pdf", damaged)
    assert error.code in ("pdf_unreadable", "content_mismatch")


def _rels(*relationships: bytes) -> bytes:
    return b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>' % (
        b"".join(relationships)
    )


R = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def test_a_word_file_with_macros_is_refused_saying_so():
    content = files.zip_bytes([*files.docx_members(), ("word/vbaProject.bin", b"\x00" * 10)])
    error = refused("makro.docx", content)
    assert error.code == "office_macros" and "makroer" in error.messages[0]


def test_an_excel_file_with_macros_under_any_name_case_is_refused():
    base = files.zip_bytes([*files.docx_members(), ("word/VBAPROJECT.BIN", b"\x00")])
    assert refused("makro.docx", base).code == "office_macros"


def test_a_remote_template_is_an_external_link_and_refused():
    template = b'<Relationship Id="rId9" Type="%sattachedTemplate" Target="https://ond.example/mal.dotm" ' % R
    template += b'TargetMode="External"/>'
    content = files.zip_bytes([*files.docx_members(), ("word/_rels/document.xml.rels", _rels(template))])
    error = refused("mal.docx", content)
    assert error.code == "office_external_links" and "eksterne koblinger" in error.messages[0]


def test_a_linked_workbook_is_refused():
    members = [*files.docx_members(), ("xl/externalLinks/externalLink1.xml", b"<externalLink/>")]
    assert refused("lenket.docx", files.zip_bytes(members)).code == "office_external_links"


def test_an_ordinary_hyperlink_is_accepted():
    link = b'<Relationship Id="rId5" Type="%shyperlink" Target="https://www.regjeringen.no/" ' % R
    link += b'TargetMode="External"/>'
    content = files.zip_bytes([*files.docx_members(), ("word/_rels/document.xml.rels", _rels(link))])
    assert accepted("lenke.docx", content).kind == "docx"
    assert accepted("budsjett.xlsx", files.xlsx_bytes()).kind == "xlsx"
