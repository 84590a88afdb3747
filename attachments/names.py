"""File names as people see them. The result is shown and offered as the download's name; it is
never used as a path (files are stored under generated names, see ``storage.py``)."""

import re
import unicodedata

MAX_NAME_LENGTH = 120
FALLBACK_STEM = "vedlegg"

# Characters Windows refuses in names (the path separators are handled before this).
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_WHITESPACE = re.compile(r"\s+")
_EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}


def _without_invisibles(text: str) -> str:
    # Category C* is control, format (incl. U+202E RIGHT-TO-LEFT OVERRIDE and zero-width
    # characters, which can make "gpj.exe" look like "exe.jpg"), surrogates, private use, unassigned.
    return "".join(" " if ch in "\t\n\r" else ch for ch in text if ch in "\t\n\r" or unicodedata.category(ch)[0] != "C")


def split_extension(name: str) -> tuple[str, str]:
    """("rapport", "pdf") for "rapport.PDF"; ("notes", "") when there is no plausible extension."""
    stem, dot, ext = name.rpartition(".")
    if dot and _EXTENSION.match(ext.lower()):
        return stem, ext.lower()
    return name, ""


def safe_display_name(name: str) -> str:
    """A harmless name for display and for ``Content-Disposition``: no directories (``/`` or
    ``\\``), no control or bidi characters, no leading dots, no Windows-reserved device names,
    NFC-normalised (so "å" typed on a Mac and on Windows is the same), whitespace collapsed, at
    most ``MAX_NAME_LENGTH`` characters with the extension kept, and "vedlegg.<ext>" when nothing
    of the name is left. Norwegian letters and other printable Unicode are kept."""
    text = unicodedata.normalize("NFC", name or "")
    text = _without_invisibles(text)
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _WINDOWS_FORBIDDEN.sub("_", text)
    text = _WHITESPACE.sub(" ", text).strip().rstrip(". ")
    stem, ext = split_extension(text)
    stem = stem.lstrip(". ").rstrip(". ")
    if stem.split(".", 1)[0].strip().upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    suffix = f".{ext}" if ext else ""
    stem = stem[: MAX_NAME_LENGTH - len(suffix)].rstrip(". ") or FALLBACK_STEM
    return f"{stem}{suffix}"
