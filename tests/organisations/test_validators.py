import pytest
from django.core.exceptions import ValidationError

from organisations.validators import clean_organisation_number


def test_a_valid_number_is_accepted_with_or_without_spaces():
    assert clean_organisation_number("964 338 531") == "964338531"
    assert clean_organisation_number("964338531") == "964338531"


@pytest.mark.parametrize(
    ("value", "code", "says"),
    [
        ("964338532", "checksum", "Kontrollsifferet stemmer ikke"),
        ("96433853", "length", "skal ha 9 sifre, men har 8"),
        ("9643385311", "length", "skal ha 9 sifre, men har 10"),
        ("96433853a", "format", "bare inneholde sifre"),
        ("", "length", "men har 0"),
    ],
)
def test_a_wrong_number_says_what_is_wrong(value, code, says):
    with pytest.raises(ValidationError) as error:
        clean_organisation_number(value)
    assert error.value.code == code
    assert says in error.value.messages[0]
