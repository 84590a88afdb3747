"""Form fields for answers in Norwegian formats: «1 250 000», «12,5», «22.11.2026»."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# Spaces people and word processors put between thousands: space, no-break space, narrow no-break space.
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _strip_spaces(value: str) -> str:
    return _SPACES.sub("", value)


class LongTextField(forms.CharField):
    """Counts line breaks as one character each, as the browser's ``maxlength`` does (a form posts
    them as CRLF, which would otherwise count twice and refuse a text the page let through)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class NorwegianDecimalField(forms.DecimalField):
    """A number as Norwegians write it: «1 250,5» (comma for decimals, spaces between thousands);
    «1250.5» is accepted too."""

    default_error_messages = {
        "invalid": _("Skriv et tall, for eksempel 1 250 eller 12,5."),
        "max_decimal_places": _("Skriv høyst %(max)s desimaler."),
        "max_digits": _("Tallet er for langt."),
        "max_whole_digits": _("Tallet er for stort."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = _strip_spaces(value).replace(",", ".").replace("\u2212", "-")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class AmountField(forms.Field):
    """Whole kroner as Norwegians write them: «1 250 000», «1 250 000 kr», «1 250 000,-», «kr 1250000»."""

    default_error_messages = {
        "invalid": _("Skriv beløpet i hele kroner, for eksempel 1 250 000."),
        "min_value": _("Beløpet må være minst %(limit)s kr."),
        "max_value": _("Beløpet kan være høyst %(limit)s kr."),
    }
    MAX = 10**13  # fits the DecimalField(max_digits=14) amounts of a call

    def __init__(self, *, min_value: int | None = None, max_value: int | None = None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = _strip_spaces(str(value)).lower()
            text = re.sub(r"^(kr\.?|nok)", "", text)
            text = re.sub(r"(kr\.?|nok|,-|,00|\.00)$", "", text)
            if not re.fullmatch(r"-?\d+", text):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            number = int(text)
        if abs(number) >= self.MAX:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            limit = number_format(self.min_value, force_grouping=True)
            raise ValidationError(self.error_messages["min_value"], code="min_value", params={"limit": limit})
        if self.max_value is not None and value > self.max_value:
            limit = number_format(self.max_value, force_grouping=True)
            raise ValidationError(self.error_messages["max_value"], code="max_value", params={"limit": limit})

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return number_format(value, force_grouping=True)
        return value


class NorwegianDateField(forms.DateField):
    """A date as dd.mm.åååå (an ISO date, as stored, is accepted too)."""

    input_formats = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Skriv datoen som dd.mm.åååå, for eksempel 22.11.2026.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(format="%d.%m.%Y", attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        return super().to_python(value)


def decimal_or_none(value) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None
