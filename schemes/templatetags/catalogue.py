"""Template helpers of the public catalogue: countdowns and amounts."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.numbers import format_kroner, format_percent
from schemes.eligibility.text import LocalizedText

register = template.Library()


def time_left(moment: datetime, *, now: datetime | None = None) -> str:
    """«3 dager igjen», «2 timer igjen», «under én time igjen», or «fristen er ute», counted from
    the server's clock (whole days or hours, rounded down: 47 hours is 1 day, not 2)."""
    now = now or timezone.now()
    seconds = (moment - now).total_seconds()
    if seconds <= 0:
        return _("fristen er ute")
    days, hours = int(seconds // 86_400), int(seconds // 3_600)
    if days >= 1:
        return ngettext("%(n)s dag igjen", "%(n)s dager igjen", days) % {"n": days}
    if hours >= 1:
        return ngettext("%(n)s time igjen", "%(n)s timer igjen", hours) % {"n": hours}
    return _("under én time igjen")


def time_until(moment: datetime, *, now: datetime | None = None) -> str:
    """«åpner om 3 dager», «åpner om 2 timer», «åpner om under én time»."""
    now = now or timezone.now()
    seconds = max((moment - now).total_seconds(), 0)
    days, hours = int(seconds // 86_400), int(seconds // 3_600)
    if days >= 1:
        return ngettext("åpner om %(n)s dag", "åpner om %(n)s dager", days) % {"n": days}
    if hours >= 1:
        return ngettext("åpner om %(n)s time", "åpner om %(n)s timer", hours) % {"n": hours}
    return _("åpner om under én time")


@register.simple_tag
def countdown(call, now=None) -> str:
    now = now or timezone.now()
    if now < call.opens_at:
        return time_until(call.opens_at, now=now)
    return time_left(call.closes_at, now=now)


@register.filter
def kroner(amount) -> str:
    """1 250 000 kr (non-breaking spaces, no decimals for whole kroner)."""
    return "" if amount is None else format_kroner(amount)


@register.filter
def percent(value) -> str:
    """87,5 %, 100 % (only the decimals the value has)."""
    return "" if value is None else format_percent(value)


@register.filter
def scale_steps(criterion) -> list[tuple[int, LocalizedText]]:
    """A criterion's named steps, highest first: [(7, "Fremragende"), …, (1, "Dårlig")], each name in
    the active language (``AssessmentCriterion.scale_steps``)."""
    return criterion.scale_steps()


@register.filter
def scale_label(criterion, score) -> LocalizedText | str:
    """The name of the step ``score`` on the criterion's scale in the active language («Framifrå»),
    or "" for a score between steps (an average) or a step without a name."""
    try:
        step = int(score)
    except (TypeError, ValueError):
        return ""
    return (criterion.scale_label(step) or "") if step == score else ""
