from decimal import Decimal

from django import template

from applications.workflow import State
from portal.numbers import format_number

register = template.Library()


@register.filter
def score(value) -> str:
    """A weighted score with one decimal in the active language (4,6; 4.6 in English); «–» for none."""
    if value is None:
        return "–"
    return format_number(Decimal(value), 1)


_STATE_LABELS = {state.value: state.label for state in State}


@register.filter
def state_label(value) -> str:
    """The internal name of a state, for staff («Til fagvurdering»). Cheaper than
    ``get_state_display``, which rebuilds the choices for every row."""
    return _STATE_LABELS.get(value, value)
