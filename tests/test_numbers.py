"""portal.numbers: one reading of Norwegian numbers for every form, and the formatters in nb/nn/en."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from applications.formdef.fields import AmountField, NorwegianDecimalField
from portal.forms import NorwegianNumberField
from portal.numbers import (
    NumberError,
    format_kroner,
    format_number,
    format_number_input,
    format_percent,
    parse_norwegian_number,
)


@pytest.mark.parametrize(
    ("typed", "whole", "number"),
    [
        ("1250000", False, "1250000"),
        ("1 250 000", False, "1250000"),
        ("1\xa0250\xa0000", False, "1250000"),  # no-break spaces (as we format numbers)
        ("1\u202f250\u202f000", False, "1250000"),  # narrow no-break spaces
        ("1\u2009250\u2009000", False, "1250000"),  # thin spaces
        (" 1 2,5 ", False, "12.5"),
        # The four inputs the filter, the form answer and the check used to read differently:
        ("1.250.000", False, "1250000"),
        ("1 250 000 kr", True, "1250000"),
        ("kr 1250000", True, "1250000"),
        ("1250000,50", False, "1250000.50"),
        ("1250000,00", True, "1250000"),
        ("1.250.000,50", False, "1250000.50"),
        ("1.250", True, "1250"),  # one dot group of three: thousands when the number is whole kroner…
        ("1.250", False, "1.250"),  # …and a decimal point otherwise
        ("12.5", False, "12.5"),
        ("0.125", True, None),  # a leading 0 never starts a thousands group
        ("1 250 000 NOK", True, "1250000"),
        ("NOK 1 250 000", True, "1250000"),
        ("kr. 500", True, "500"),
        ("500 kroner", True, "500"),
        ("1 000,-", True, "1000"),
        ("1 000,- kr", True, "1000"),
        ("87,5 %", False, "87.5"),
        ("87,5%", False, "87.5"),
        ("−5 000", True, "-5000"),  # the typographic minus
        ("-5", True, "-5"),
        ("kr -500", True, "-500"),
    ],
)
def test_the_parser_reads_numbers_as_norwegians_write_them(typed, whole, number):
    if number is None:
        with pytest.raises(NumberError):
            parse_norwegian_number(typed, whole=whole)
    else:
        assert parse_norwegian_number(typed, whole=whole) == Decimal(number)


def test_a_whole_number_has_no_decimals():
    assert str(parse_norwegian_number("1 250 000,00", whole=True)) == "1250000"


@pytest.mark.parametrize(
    ("typed", "whole", "code"),
    [
        ("", False, "empty"),
        (" \xa0", False, "empty"),
        ("1250000,50", True, "whole"),
        ("0.125", True, "whole"),
        ("mye", False, "invalid"),
        ("NaN", False, "invalid"),
        ("Infinity", False, "invalid"),
        ("1e9", False, "invalid"),
        ("1,5 mill", False, "invalid"),
        ("1,2,3", False, "invalid"),
        ("12,", False, "invalid"),
        ("1.25.000", False, "invalid"),
        ("1.250.5", False, "invalid"),
        ("kr", True, "invalid"),
        ("٣", False, "invalid"),  # digits of other scripts are not read
        ("1" * 100, False, "invalid"),
    ],
)
def test_the_parser_says_why_a_text_is_not_a_number(typed, whole, code):
    with pytest.raises(ValueError, match=code) as raised:
        parse_norwegian_number(typed, whole=whole)
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("language", "kroner", "percent", "share"),
    [
        ("nb", "1\xa0250\xa0000 kr", "87,5 %", "33,3"),
        ("nn", "1\xa0250\xa0000 kr", "87,5 %", "33,3"),
        ("en", "NOK 1,250,000", "87.5 %", "33.3"),
    ],
)
def test_the_formatters_in_each_language(language, kroner, percent, share):
    with translation.override(language):
        assert format_kroner(Decimal(1_250_000)) == kroner
        assert format_kroner(1_250_000) == kroner
        assert format_percent(Decimal("87.50")) == percent
        assert format_number(Decimal(100) / 3, 1) == share
        assert format_percent(Decimal("100.00")) == "100 %"
        assert format_number(1000) == ("1,000" if language == "en" else "1\xa0000")


def _errors(field, typed: str) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        field.clean(typed)
    return raised.value.messages


def test_the_application_forms_amount_field_reads_what_the_parser_reads():
    field = AmountField(min_value=0, max_value=2_000_000, required=False)
    assert field.clean("1.250.000") == field.clean("kr 1 250 000") == 1_250_000
    assert field.clean("") is None
    assert _errors(field, "1 250 000,50") == ["Skriv beløpet i hele kroner, for eksempel 1 250 000."]
    assert _errors(field, "2.000.001") == ["Beløpet kan være høyst 2\xa0000\xa0000 kr."]


def test_the_application_forms_decimal_field_reads_what_the_parser_reads():
    field = NorwegianDecimalField(required=False, max_digits=16, decimal_places=4)
    assert field.clean("1.250.000") == Decimal(1_250_000)
    assert field.clean("87,5 %") == Decimal("87.5")
    assert field.clean("") is None
    assert _errors(field, "1,5 mill") == ["Skriv et tall, for eksempel 1 250 eller 12,5."]


def test_the_base_field_checks_its_limits_in_the_active_language():
    field = NorwegianNumberField(min_value=1, max_value=Decimal(1500), whole=True)
    assert field.widget.attrs["inputmode"] == "numeric"
    assert field.clean("1 500") == Decimal(1500)
    assert _errors(field, "1,5") == ["Skriv et helt tall."]
    assert _errors(field, "1 501") == ["Tallet kan være høyst 1\xa0500."]
    with translation.override("en"):
        assert "1,500" in _errors(field, "1501")[0]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("number", ["30", "3E+1", "100", "1E+6", "2.5", "2.50", "1234567.25", "0.0001", "-5000"])
def test_a_number_written_into_a_field_reads_back_the_same_in_every_language(language, number):
    with translation.override(language):
        shown = format_number_input(Decimal(number))
    assert "E" not in shown and shown.count(",") == (0 if language == "en" or "." not in number else 1)
    assert parse_norwegian_number(shown) == Decimal(number)
    assert format_number_input(1_250_000) == "1\xa0250\xa0000"
