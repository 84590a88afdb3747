from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.no import orgnr


def clean_organisation_number(value: str) -> str:
    """Return the 9 digits of a Norwegian organisasjonsnummer, or raise a ValidationError that
    says what is wrong (spaces are allowed in the input: "974 760 673")."""
    compact = orgnr.compact(value or "")
    # Format and length are checked here, in this order, so the message names the first problem
    # a person can fix; python-stdnum decides the MOD11 check digit.
    if not compact.isdigit() and compact:
        raise ValidationError(
            _("Organisasjonsnummeret kan bare inneholde sifre (du skrev «%(value)s»)."),
            code="format",
            params={"value": value},
        )
    if len(compact) != 9:
        raise ValidationError(
            _("Organisasjonsnummeret skal ha 9 sifre, men har %(count)s."),
            code="length",
            params={"count": len(compact)},
        )
    try:
        return orgnr.validate(compact)
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _(
                "Kontrollsifferet stemmer ikke: %(value)s er ikke et gyldig organisasjonsnummer. "
                "Sjekk at du har skrevet av riktig."
            ),
            code="checksum",
            params={"value": compact},
        ) from None


def validate_organisation_number(value: str) -> None:
    clean_organisation_number(value)
