"""What of a funded project the public project bank may show beyond the minimum public-sector
transparency requires (owner, scheme, amount, title): the applicant chooses at submit
(``Application.publicity``); the project bank (``projects``) copies the choice onto the project
and lets officers redact."""

from django.utils.translation import gettext_lazy as _

# Each optional part with the label the applicant and the officer read.
PUBLIC_PARTS = {
    "summary": _("sammendrag"),
    "partners": _("samarbeidspartnere"),
    "place": _("kommune og fylke"),
    "period": _("prosjektperiode"),
    "results": _("resultater og gevinster"),
}


def chosen_parts(publicity: dict | None) -> dict[str, bool]:
    """The applicant's choice for every part; a part never chosen (an application from before the
    choice existed) is public, as the bank has always shown it."""
    publicity = publicity or {}
    return {part: bool(publicity.get(part, True)) for part in PUBLIC_PARTS}
