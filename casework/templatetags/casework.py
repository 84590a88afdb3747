from decimal import Decimal

from django import template

from portal.numbers import format_number

register = template.Library()


@register.filter
def score(value) -> str:
    """A weighted score with one decimal in the active language (4,6; 4.6 in English); «–» for none."""
    if value is None:
        return "–"
    return format_number(Decimal(value), 1)
