"""Numbers as Norwegians write and read them: one parser and the formatters every page uses.

``parse_norwegian_number`` reads «1 250 000», «1 250 000 kr», «kr 1.250.000», «1 000,-», «87,5 %»
and «−5 000» (the typographic minus). The form fields (``portal.forms.NorwegianNumberField`` and
the wrappers in each app) add their own limits and messages on top.

``format_kroner``, ``format_percent`` and ``format_number`` write a number in the active language
(«1 250 000 kr» in bokmål and nynorsk, «NOK 1,250,000» in English, as the catalogue's
``"%(amount)s kr"`` msgid decides). ``format_number_input`` writes one into a form field, so that
the parser reads it back unchanged in every language.
"""

import re
from decimal import Decimal

from django.utils import numberformat
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

# Units people type before or after an amount or a share; lower-cased, without spaces.
_PREFIXES = ("kr.", "kr", "nok")
_SUFFIXES = ("kroner", "kr.", "kr", "nok", ",-", "%")
_SPACES = re.compile(r"\s+")  # str patterns match the no-break (U+00A0), thin and narrow no-break spaces too
_DIGITS = re.compile(r"[0-9]+")
_DOT_GROUPED = re.compile(r"[1-9][0-9]{0,2}(\.[0-9]{3})+")  # 1.250.000: dots between groups of three
_DOT_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")  # 12.5, as a browser or a spreadsheet writes it
_MAX_LENGTH = 60  # more than any amount we keep (10^13): a longer text is not a number


class NumberError(ValueError):
    """Why a text is not a number: ``code`` is "empty", "invalid" or "whole" (the message is the code)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_norwegian_number(text: str, *, whole: bool = False) -> Decimal:
    """The number in ``text``, or NumberError. Spaces of any kind separate thousands; «,» is the
    decimal comma; «.» separates thousands when it groups by three (1.250.000, 1.250,50, and with
    ``whole`` a single 1.250) and is a decimal point otherwise (12.5). With ``whole`` a fraction is
    refused ("whole") and the result has no decimals (1 250 000,00 → 1250000). Negative numbers
    are returned: whether they are allowed is the caller's limit."""
    text = _SPACES.sub("", str(text)).lower().replace("\u2212", "-")
    if not text:
        raise NumberError("empty")
    if len(text) > _MAX_LENGTH:
        raise NumberError("invalid")
    negative = text.startswith("-")
    text = text.removeprefix("-")
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text.removeprefix(prefix)
            break
    if not negative and text.startswith("-"):  # «kr -500»
        negative, text = True, text.removeprefix("-")
    for _round in range(2):  # «1 000 kr», «1 000,-» and «1 000,- kr»
        for suffix in _SUFFIXES:
            if text.endswith(suffix):
                text = text.removesuffix(suffix)
                break
    number = _unsigned(text, whole=whole)
    if whole:
        if number != number.to_integral_value():
            raise NumberError("whole")
        number = number.to_integral_value()
    return -number if negative else number


def _unsigned(text: str, *, whole: bool) -> Decimal:
    integer, comma, fraction = text.partition(",")
    if comma and not _DIGITS.fullmatch(fraction):
        raise NumberError("invalid")  # «1,5 mill», «1,2,3», «12,»
    if _DIGITS.fullmatch(integer):
        pass
    elif _DOT_GROUPED.fullmatch(integer) and (comma or whole or integer.count(".") > 1):
        integer = integer.replace(".", "")
    elif not comma and _DOT_DECIMAL.fullmatch(integer):
        integer, fraction = integer.split(".")
    else:
        raise NumberError("invalid")
    return Decimal(f"{integer}.{fraction}" if fraction else integer)


def format_number(value: Decimal | int, decimals: int | None = None) -> str:
    """A number in the active language: 1 250 000 / 33,5 (nb, nn), 1,250,000 / 33.5 (en). With
    ``decimals`` exactly that many (rounded); without, a whole number shows none and another only
    the decimals it has (33,50 → 33,5)."""
    if isinstance(value, int):
        return number_format(value, use_l10n=True)
    if decimals is not None:
        return number_format(value.quantize(Decimal(1).scaleb(-decimals)), decimal_pos=decimals, use_l10n=True)
    shown = value.quantize(1) if value == value.to_integral_value() else value.normalize()
    return number_format(shown, use_l10n=True)


def format_number_input(value: Decimal | int) -> str:
    """A number as a form field shows it again: the active language's decimal mark and thousands
    grouped by no-break spaces in every language, never an exponent (``Decimal("3E+1")`` is «30»).
    ``parse_norwegian_number`` reads it back to the same value in nb, nn and en; English grouping
    commas would not survive («1,250» reads as 1,25)."""
    return numberformat.format(
        value, get_format("DECIMAL_SEPARATOR"), grouping=3, thousand_sep="\xa0", force_grouping=True
    )


def format_kroner(amount: Decimal | int) -> str:
    """«1 250 000 kr» in whole kroner (always grouped; «NOK 1,250,000» in English)."""
    grouped = number_format(amount, decimal_pos=0, use_l10n=True, force_grouping=True)
    return _("%(amount)s kr") % {"amount": grouped}


def format_percent(value: Decimal | int, decimals: int | None = None) -> str:
    """«87,5 %» («87.5 %» in English); ``decimals`` as for ``format_number``."""
    return f"{format_number(value, decimals)} %"
