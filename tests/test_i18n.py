"""All three locales exist, are complete and compiled: a string added without a translation fails here."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def entries(po_path: Path):
    """(msgid, msgstr, flags) for each entry of a .po file, without a third-party parser.

    A plural entry counts as translated only when every ``msgstr[n]`` is filled in; its msgstr is
    then the forms joined by newlines, and ``msgid_plural`` is not part of its msgid.
    """
    msgid = msgstr = None
    forms: list[str] = []
    flags: set[str] = set()
    current = None
    for line in [*po_path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,"):
            flags = {f.strip() for f in line[2:].split(",")}
        elif line.startswith("msgid_plural "):
            current = "plural"
        elif line.startswith("msgid "):
            msgid, current = line[6:].strip('"'), "id"
        elif line.startswith("msgstr["):
            forms.append(line.split(" ", 1)[1].strip('"'))
            current = "form"
        elif line.startswith("msgstr "):
            msgstr, current = line[7:].strip('"'), "str"
        elif line.startswith('"') and current:
            if current == "id":
                msgid += line.strip('"')
            elif current == "str":
                msgstr += line.strip('"')
            elif current == "form":
                forms[-1] += line.strip('"')
        elif not line.strip():
            if msgid:
                if forms:
                    msgstr = "\n".join(forms) if all(forms) else ""
                yield msgid, msgstr, flags
            msgid = msgstr = None
            forms, flags, current = [], set(), None


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_locale_is_compiled_and_up_to_date(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert po.exists() and mo.exists(), f"run `make messages` for {language}"
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1, f"{mo} is older than {po}: run `make messages`"


@pytest.mark.parametrize("language", ["nn", "en"])
def test_every_string_is_translated(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    missing = [msgid for msgid, msgstr, flags in entries(po) if not msgstr or "fuzzy" in flags]
    assert not missing, f"untranslated or fuzzy in {language}: {missing}"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext is not installed: `apt-get install gettext`")
@pytest.mark.parametrize("language", ["nn", "en"])
def test_msgfmt_counts_nothing_untranslated_or_fuzzy(language):
    """What a translator's own tool says: ``msgfmt --statistics`` reports only translated messages."""
    import subprocess

    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=True
    )
    statistics = result.stderr.strip()
    assert statistics.endswith("translated messages."), statistics
    assert "untranslated" not in statistics and "fuzzy" not in statistics, statistics


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext is not installed: `apt-get install gettext`")
def test_every_template_and_python_string_is_extracted(tmp_path):
    """makemessages on a copy of the tree finds no string that the committed catalogue lacks."""
    base = Path(settings.BASE_DIR)
    apps = [p.parent.name for p in base.glob("*/apps.py")]
    for name in ("manage.py", "templates", *apps):
        source = base / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nn"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = {msgid for msgid, _, _ in entries(tmp_path / "locale" / "nn" / "LC_MESSAGES" / "django.po")}
    committed = {msgid for msgid, _, _ in entries(LOCALE / "nn" / "LC_MESSAGES" / "django.po")}
    assert extracted - committed == set(), "new strings: run `make messages` and translate them"


OVERRIDES = LOCALE / "django-overrides"


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_translations_of_djangos_own_strings_are_complete_compiled_and_still_djangos(language, domain):
    """locale/django-overrides is kept by hand (``make messages`` only compiles it): each entry is
    translated, compiled, and a string Django 6.1 still has (a renamed one would silently fall back)."""
    import django

    po = OVERRIDES / language / "LC_MESSAGES" / f"{domain}.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime - 1, f"{mo}: run `make messages`"
    ours = list(entries(po))
    assert ours and not [msgid for msgid, msgstr, flags in ours if not msgstr or "fuzzy" in flags]
    django_locale = Path(django.__file__).parent
    djangos = {msgid for path in django_locale.glob(f"**/locale/en/LC_MESSAGES/{domain}.po")
               for msgid, _msgstr, _flags in entries(path)}  # fmt: skip
    assert {msgid for msgid, _msgstr, _flags in ours} - djangos == set()
