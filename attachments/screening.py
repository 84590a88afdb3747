"""Screening of a file that is what it claims to be: is there anything in it that could act on the
machine of the officer or reviewer who opens it, or that they could not open at all?

PDFs are opened with a real parser (pikepdf, on qpdf) and refused when password-protected, or when
any object holds active content: JavaScript (a ``/JS`` or ``/JavaScript`` entry, an action of kind
``/JavaScript``, as an ``/OpenAction`` or anywhere else), a ``/Launch`` action, embedded files
(``/EmbeddedFile``, ``/EmbeddedFiles``, an ``/EF`` file specification) or an XFA form (``/XFA``).
Word and Excel files are refused with macros (a ``vbaProject.bin`` part or a macro-enabled content
type) or external links (an ``externalLinks`` part, or a relationship to an outside target other
than an ordinary hyperlink: a remote template, a linked object or frame, a linked workbook).
Nothing is neutralised: the applicant is told why and saves a clean copy; the draft is untouched.
"""

import re
import zipfile
from typing import BinaryIO

import pikepdf
from django.utils.translation import gettext as _

from .errors import UploadRejected

MAX_RELS_BYTES = 1024 * 1024  # a relationships part is a few kB; a bigger one is not read, but refused


def _pdf_problem(code: str) -> UploadRejected:
    messages = {
        "pdf_encrypted": _(
            "PDF-en er passordbeskyttet, så saksbehandlere og fagfolk kan ikke åpne den. "
            "Lagre den uten passord og last den opp igjen."
        ),
        "pdf_unreadable": _(
            "PDF-en er skadet og kan ikke leses. Lagre eller eksporter den på nytt og last den opp igjen."
        ),
        "pdf_javascript": _(
            "PDF-en inneholder JavaScript, som kan kjøre når filen åpnes. Skriv den ut som en ny PDF "
            "(«Skriv ut til PDF») og last opp den."
        ),
        "pdf_launch": _(
            "PDF-en inneholder en handling som starter andre programmer. Skriv den ut som en ny PDF "
            "(«Skriv ut til PDF») og last opp den."
        ),
        "pdf_embedded_files": _(
            "PDF-en har andre filer lagt inni seg. Last opp hver fil for seg, og en PDF uten vedlagte filer."
        ),
        "pdf_xfa": _(
            "PDF-en er et XFA-skjema, som mange PDF-lesere ikke kan vise og som kan inneholde skript. "
            "Skriv den ut som en ny PDF («Skriv ut til PDF») og last opp den."
        ),
    }
    return UploadRejected(code, messages[code])


_JS_KEYS = {"/JS", "/JavaScript"}
_EMBEDDED_KEYS = {"/EmbeddedFiles", "/EF"}


def _active_content(obj) -> str | None:
    """The first kind of active content in a PDF dictionary (its own entries only)."""
    keys = set(obj.keys())
    if keys & _JS_KEYS or obj.get("/S") == pikepdf.Name.JavaScript:
        return "pdf_javascript"
    if obj.get("/S") == pikepdf.Name.Launch or "/Launch" in keys:
        return "pdf_launch"
    if keys & _EMBEDDED_KEYS or obj.get("/Type") == pikepdf.Name.EmbeddedFile:
        return "pdf_embedded_files"
    if "/XFA" in keys:
        return "pdf_xfa"
    return None


def _walk(obj, found: list[str], depth: int = 0) -> None:
    """``obj`` and the direct objects inside it (indirect ones are visited on their own)."""
    if depth > 64 or found:
        return
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        if problem := _active_content(obj):
            found.append(problem)
            return
        children = obj.values()
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return
    for child in children:
        if isinstance(child, pikepdf.Object) and not child.is_indirect:
            _walk(child, found, depth + 1)


def screen_pdf(f: BinaryIO) -> None:
    f.seek(0)
    try:
        pdf = pikepdf.open(f)
    except pikepdf.PasswordError:
        raise _pdf_problem("pdf_encrypted") from None
    except (pikepdf.PdfError, ValueError, OSError):
        raise _pdf_problem("pdf_unreadable") from None
    with pdf:
        found: list[str] = []
        _walk(pdf.trailer, found)
        for obj in pdf.objects:
            _walk(obj, found)
            if found:
                raise _pdf_problem(found[0])


_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject|vnd\.ms-office\.activeX", re.IGNORECASE)


def _macros() -> UploadRejected:
    return UploadRejected(
        "office_macros",
        _("Dokumentet har makroer, som kan kjøre når filen åpnes. Lagre det uten makroer og last det opp igjen."),
    )


def _external_links() -> UploadRejected:
    return UploadRejected(
        "office_external_links",
        _(
            "Dokumentet henter innhold fra andre filer eller nettsteder (eksterne koblinger). Bryt koblingene, "
            "lagre dokumentet og last det opp igjen."
        ),
    )


def screen_office(f: BinaryIO) -> None:
    """A .docx or .xlsx, already checked as a sound archive (``kinds``): macros and external links."""
    f.seek(0)
    with zipfile.ZipFile(f) as archive:
        for info in archive.infolist():
            name = info.filename.lower()
            if name.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") or "/activex/" in f"/{name}":
                raise _macros()
            if "externallinks/" in name:
                raise _external_links()
            if name == "[content_types].xml" or name.endswith(".rels"):
                if info.file_size > MAX_RELS_BYTES:
                    raise _external_links()
                text = archive.read(info)
                if name == "[content_types].xml":
                    if _MACRO_CONTENT_TYPE.search(text):
                        raise _macros()
                    continue
                for attributes in _RELATIONSHIP.findall(text):
                    values = {key.split(b":")[-1]: value for key, value in _ATTRIBUTE.findall(attributes)}
                    external = values.get(b"TargetMode", b"").lower() == b"external"
                    if external and not values.get(b"Type", b"").endswith(b"/hyperlink"):
                        raise _external_links()


SCREENS = {"pdf": screen_pdf, "docx": screen_office, "xlsx": screen_office}


def screen(kind: str, f: BinaryIO) -> None:
    """Raise ``UploadRejected`` naming what is wrong, or return when the file may be stored."""
    if check := SCREENS.get(kind):
        try:
            check(f)
        finally:
            f.seek(0)
