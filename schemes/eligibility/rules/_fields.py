"""Form fields and parameter types shared by several rule types."""

from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise


def percent_field(*, label: Promise | str, help_text: Promise | str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, help_text=help_text, min_value=0, max_value=100, max_digits=5, decimal_places=2, localize=True
    )


def count_field(*, label: Promise | str, help_text: Promise | str = "", min_value: int = 1) -> forms.IntegerField:
    return forms.IntegerField(label=label, help_text=help_text, min_value=min_value, max_value=1000)


@dataclass(frozen=True, slots=True)
class NoParams:
    """For rule types that need nothing but their presence (e.g. «candidate without a doctorate»)."""


class NoParamsForm(forms.Form):
    pass
