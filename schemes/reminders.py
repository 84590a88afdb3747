"""Reminder offsets of a call («7d,1d,2h»): how long before the application deadline applicants
with a draft are reminded. Parsed here so the model field, the admin and the scheduler agree."""

import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_DRAFT_REMINDERS = "7d,1d,2h"
MAX_OFFSET = timedelta(days=90)
_PART = re.compile(r"^(\d{1,4})([dh])$")
_UNIT = {"d": "days", "h": "hours"}


def parse_offsets(value: str) -> list[tuple[str, timedelta]]:
    """``"7d,1d,2h"`` → ``[("7d", 7 days), ("1d", 1 day), ("2h", 2 hours)]``, longest first, without
    duplicates. Empty → no reminders. Raises ``ValidationError`` naming the part that is wrong."""
    offsets: dict[timedelta, str] = {}
    for raw in (value or "").replace(" ", "").lower().split(","):
        if not raw:
            continue
        match = _PART.match(raw)
        if not match:
            raise ValidationError(
                _("«%(part)s» er ikke et tidsrom. Skriv for eksempel 7d (dager) eller 2h (timer), skilt med komma.")
                % {"part": raw},
                code="invalid",
            )
        amount, unit = int(match[1]), match[2]
        delta = timedelta(**{_UNIT[unit]: amount})
        if not timedelta(hours=1) <= delta <= MAX_OFFSET:
            raise ValidationError(_("«%(part)s» må være mellom 1 time og 90 dager.") % {"part": raw}, code="range")
        offsets.setdefault(delta, f"{amount}{unit}")
    return [(label, delta) for delta, label in sorted(offsets.items(), reverse=True)]


def validate_offsets(value: str) -> None:
    parse_offsets(value)


def normalise_offsets(value: str) -> str:
    return ",".join(label for label, _delta in parse_offsets(value))
