"""Is this uploaded file one we may store? ``validate_upload`` answers, or raises ``UploadRejected``
with a message naming the problem and the limit.

Checked, in order: the name's extension is one of the slot's allowed kinds; the size (read in
chunks, hashing as it goes, stopping as soon as the limit is passed) is above zero and within the
limit; the content is what the extension claims (``kinds.py``); nothing in it is active or locked
(``screening.py``: PDFs opened with pikepdf, Word and Excel files read for macros and external
links). Nothing is written anywhere.
"""

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats
from django.utils.translation import gettext as _

from .errors import UploadRejected
from .kinds import KINDS
from .names import safe_display_name, split_extension
from .screening import screen

KB = 1024
MB = 1024 * 1024


@dataclass(frozen=True)
class ValidatedUpload:
    kind: str
    content_type: str
    safe_name: str
    size: int
    sha256: str


def human_size(n: int, *, round_up: bool = False) -> str:
    """ "12,4 MB" / "10 MB" / "900 kB" in the active language's number format. A size above a
    limit is rounded up, so it never reads as equal to the limit it exceeds."""
    rounding = math.ceil if round_up else math.floor
    if n >= MB:
        tenths = rounding(n * 10 / MB)
        value = tenths / 10
        return f"{formats.number_format(value, decimal_pos=0 if tenths % 10 == 0 else 1)} MB"
    return f"{formats.number_format(rounding(n / KB) if n else 0)} kB"


def _allowed_extensions(kinds) -> str:
    return ", ".join(f".{ext}" for kind in kinds for ext in kind.extensions)


def _measure(uploaded_file: UploadedFile, limit: int) -> tuple[int, str]:
    declared = getattr(uploaded_file, "size", None) or 0

    def too_large(size):
        return UploadRejected(
            "too_large",
            _("Filen er %(size)s, men grensen er %(limit)s.")
            % {"size": human_size(size, round_up=True), "limit": human_size(limit)},
        )

    if declared > limit:
        raise too_large(declared)
    digest, size = hashlib.sha256(), 0
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > limit:
            raise too_large(max(size, declared))
        digest.update(chunk)
    if size == 0:
        raise UploadRejected("empty", _("Tomme filer kan ikke lastes opp."))
    return size, digest.hexdigest()


def validate_upload(*, uploaded_file: UploadedFile, allowed: Iterable[str], max_bytes: int) -> ValidatedUpload:
    """``allowed`` names kinds of ``kinds.KINDS`` ("pdf", "docx", …); ``max_bytes`` is the slot's
    limit, never more than the portal-wide ``MAX_UPLOAD_BYTES`` (the request could not have
    carried more)."""
    kinds = [KINDS[code] for code in allowed]  # an unknown kind is a programming error: KeyError
    limit = min(max_bytes, settings.MAX_UPLOAD_BYTES)
    safe_name = safe_display_name(uploaded_file.name or "")
    _stem, ext = split_extension(safe_name)
    kind = next((k for k in kinds if ext in k.extensions), None)
    if kind is None:
        message = (
            _("Filtypen .%(ext)s kan ikke lastes opp her. Tillatt: %(allowed)s.")
            if ext
            else _("Filnavnet mangler filtype. Tillatt: %(allowed)s.")
        )
        raise UploadRejected("extension_not_allowed", message % {"ext": ext, "allowed": _allowed_extensions(kinds)})

    size, sha256 = _measure(uploaded_file, limit)
    try:
        matches = kind.matches(uploaded_file, size)
    finally:
        uploaded_file.seek(0)
    if not matches:
        message = _("Filen heter .%(ext)s, men innholdet er ikke %(what)s.") % {"ext": ext, "what": kind.what}
        raise UploadRejected("content_mismatch", message)
    screen(kind.code, uploaded_file)
    return ValidatedUpload(
        kind=kind.code, content_type=kind.content_type, safe_name=safe_name, size=size, sha256=sha256
    )
