"""The file kinds an attachment slot can allow, and how each is recognised by its content.

Recognition is pure Python on the first and last kilobyte of the file and, for the office formats,
the zip's central directory; no system libmagic, and nothing is ever extracted. Each check answers
"is this really a <kind>?" for the kind the file's extension claims.
"""

import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import UploadRejected

HEAD_BYTES = TAIL_BYTES = 1024

# Zip-bomb defences, judged on the central directory (the sizes each member declares) without
# decompressing anything. Real .docx/.xlsx/.odt files have tens of members and compress their XML
# 5–20×; these limits leave room for large spreadsheets and refuse what only a bomb looks like.
MAX_ZIP_MEMBERS = 1000
MAX_ZIP_UNCOMPRESSED = 256 * 1024 * 1024
MAX_ZIP_RATIO = 100  # uncompressed / compressed, per member and for the whole archive
RATIO_CHECK_FROM = 1024 * 1024  # small members may compress very well (an empty styles part)


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (.docx)"
    XLSX = "xlsx", "Excel (.xlsx)"
    ODT = "odt", "OpenDocument-tekst (.odt)"
    ODS = "ods", "OpenDocument-regneark (.ods)"
    PNG = "png", "PNG"
    JPG = "jpg", "JPEG"


def _read_at(f: BinaryIO, offset: int, length: int) -> bytes:
    f.seek(offset)
    return f.read(length)


# --- PDF ----------------------------------------------------------------------------------------
_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|\?xml)", re.IGNORECASE)


def _is_pdf(f: BinaryIO, size: int) -> bool:
    """A PDF starts with ``%PDF-1.x``/``%PDF-2.x`` and ends with ``%%EOF`` in its last kilobyte
    (where readers look for it). Between the header and the first object (``1 0 obj``) a real PDF
    has only comment lines; an HTML or SVG page there is a polyglot meant for a browser that
    sniffs, so a "PDF" with markup before its first object within the first kilobyte is refused.
    Markup further in, inside objects, is not looked for: the download is served as an attachment
    with ``nosniff`` and a sandboxing CSP, so no browser renders it as a page."""
    head = _read_at(f, 0, HEAD_BYTES)
    if not _PDF_HEADER.match(head):
        return False
    if b"%%EOF" not in _read_at(f, max(0, size - TAIL_BYTES), TAIL_BYTES):
        return False
    first_object = _PDF_OBJECT.search(head)
    before_objects = head[: first_object.start()] if first_object else head
    return not _MARKUP.search(before_objects)


# --- Images -------------------------------------------------------------------------------------
def _is_png(f: BinaryIO, size: int) -> bool:
    head = _read_at(f, 0, 16)
    return head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR" and b"IEND" in _read_at(f, max(0, size - 12), 12)


def _is_jpeg(f: BinaryIO, size: int) -> bool:
    return _read_at(f, 0, 3) == b"\xff\xd8\xff" and b"\xff\xd9" in _read_at(f, max(0, size - TAIL_BYTES), TAIL_BYTES)


# --- Zip-based office formats ---------------------------------------------------------------------
_EOCD = b"PK\x05\x06"


def _declared_member_count(f: BinaryIO, size: int) -> int | None:
    """The member count from the end-of-central-directory record, read before ``zipfile`` builds an
    object per member (so a directory of a million entries is refused without parsing it). Zip64
    archives (0xFFFF) are never needed for documents of our sizes and count as too many."""
    tail = _read_at(f, max(0, size - 22 - 65535), 22 + 65535)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 22:
        return None
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return entries


def _unsafe_member_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":") or "\x00" in name


def _check_member_count(count: int) -> None:
    if count > MAX_ZIP_MEMBERS:
        raise UploadRejected(
            "archive_unsafe",
            _("Dokumentet består av for mange deler (%(count)s, grensen er %(limit)s).")
            % {"count": count, "limit": MAX_ZIP_MEMBERS},
        )


def _check_archive(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse what could hurt whoever unpacks the file later: too many members, too much data once
    unpacked, bomb-like compression, or member names that climb out of a directory."""
    _check_member_count(len(infos))
    names = [info.filename for info in infos]
    if len(set(names)) != len(names) or any(_unsafe_member_name(name) for name in names):
        raise UploadRejected("archive_unsafe", _("Dokumentet inneholder deler med ugyldige navn og kan ikke godtas."))
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    too_compressed = any(
        info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)
        for info in infos
    ) or (total > RATIO_CHECK_FROM and total > MAX_ZIP_RATIO * max(packed, 1))
    if total > MAX_ZIP_UNCOMPRESSED or too_compressed:
        message = _("Dokumentet er unormalt sterkt komprimert eller for stort utpakket, og kan ikke godtas.")
        raise UploadRejected("archive_unsafe", message)


def _zip_check(*, required: set[str], mimetype: bytes | None = None, forbidden: set[str] = frozenset()):
    def check(f: BinaryIO, size: int) -> bool:
        if _read_at(f, 0, 4) != b"PK\x03\x04":
            return False
        count = _declared_member_count(f, size)
        if count is None:
            return False
        _check_member_count(count)
        f.seek(0)
        try:
            archive = zipfile.ZipFile(f)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
            return False
        with archive:
            infos = archive.infolist()
            _check_archive(infos)
            names = {info.filename for info in infos}
            if not required <= names or names & forbidden:
                return False
            if mimetype is None:
                return True
            # ODF: the first member is "mimetype", stored uncompressed, holding the media type.
            first = infos[0]
            if first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
                return False
            if first.file_size != len(mimetype):
                return False
            try:
                return archive.read(first) == mimetype  # stored and a few dozen bytes: a bounded read
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                return False

    return check


_OOXML = "[Content_Types].xml"


@dataclass(frozen=True)
class Kind:
    code: str
    extensions: tuple[str, ...]
    content_type: str
    what: Promise  # "en PDF", for "… men innholdet er ikke en PDF."
    matches: Callable[[BinaryIO, int], bool]


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind(FileKind.PDF, ("pdf",), "application/pdf", _("en PDF"), _is_pdf),
        Kind(
            FileKind.DOCX,
            ("docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _("et Word-dokument"),
            # A macro-enabled document (a .docm renamed) is refused by ``screening``, saying why.
            _zip_check(required={_OOXML, "word/document.xml"}),
        ),
        Kind(
            FileKind.XLSX,
            ("xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _("et Excel-regneark"),
            _zip_check(required={_OOXML, "xl/workbook.xml"}),
        ),
        Kind(
            FileKind.ODT,
            ("odt",),
            "application/vnd.oasis.opendocument.text",
            _("et OpenDocument-tekstdokument"),
            _zip_check(required={"mimetype", "content.xml"}, mimetype=b"application/vnd.oasis.opendocument.text"),
        ),
        Kind(
            FileKind.ODS,
            ("ods",),
            "application/vnd.oasis.opendocument.spreadsheet",
            _("et OpenDocument-regneark"),
            _zip_check(
                required={"mimetype", "content.xml"}, mimetype=b"application/vnd.oasis.opendocument.spreadsheet"
            ),
        ),
        Kind(FileKind.PNG, ("png",), "image/png", _("et PNG-bilde"), _is_png),
        Kind(FileKind.JPG, ("jpg", "jpeg"), "image/jpeg", _("et JPEG-bilde"), _is_jpeg),
    ]
}
