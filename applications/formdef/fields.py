"""Form fields for answers in Norwegian formats: «1 250 000», «12,5», «22.11.2026»."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.forms import NorwegianNumberField
from portal.numbers import NumberError, format_number_input, parse_norwegian_number


class LongTextField(forms.CharField):
    """Counts line breaks as one character each, as the browser's ``maxlength`` does (a form posts
    them as CRLF, which would otherwise count twice and refuse a text the page let through)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class NorwegianDecimalField(forms.DecimalField):
    """A number as Norwegians write it: «1 250,5» (comma for decimals, spaces between thousands);
    «1250.5» and «1.250.000» are read too (``portal.numbers``). A DecimalField for its digit limits."""

    default_error_messages = {
        "invalid": _("Skriv et tall, for eksempel 1 250 eller 12,5."),
        "max_decimal_places": _("Skriv høyst %(max)s desimaler."),
        "max_digits": _("Tallet er for langt."),
        "max_whole_digits": _("Tallet er for stort."),
    }

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = parse_norwegian_number(value)
            except NumberError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)

    def prepare_value(self, value):
        """An initial number as the field shows it (``format_number_input``): «30», never «3E+1»."""
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number_input(value)
        return value

    def validate(self, value):
        super().validate(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class AmountField(NorwegianNumberField):
    """Whole kroner as Norwegians write them (``portal.numbers``): «1 250 000», «1 250 000 kr»,
    «1 250 000,-», «kr 1250000», «1.250.000». The answer is an int."""

    default_error_messages = {
        "invalid": _("Skriv beløpet i hele kroner, for eksempel 1 250 000."),
        "whole": _("Skriv beløpet i hele kroner, for eksempel 1 250 000."),
        "min_value": _("Beløpet må være minst %(limit)s kr."),
        "max_value": _("Beløpet kan være høyst %(limit)s kr."),
    }
    MAX = 10**13  # fits the DecimalField(max_digits=14) amounts of a call

    def __init__(self, *, min_value: int | None = None, max_value: int | None = None, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(min_value=min_value, max_value=max_value, whole=True, **kwargs)

    def to_python(self, value):
        number = super().to_python(value)
        if number is None:
            return None
        if abs(number) >= self.MAX:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)


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

    def prepare_value(self, value):
        """A stored answer is an ISO date («2027-09-01»); it is shown as typed: 01.09.2027."""
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                return value  # what the person typed, shown back with its error
        return value


def decimal_or_none(value) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None
