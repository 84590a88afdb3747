from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .numbers import NumberError, format_number, format_number_input, parse_norwegian_number


class DesignsystemetMixin:
    """Gives each widget the Designsystemet class it needs (ds-input; checkboxes and radios keep theirs)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "ds-input")


class NorwegianNumberField(forms.Field):
    """A number typed as text, read by ``parse_norwegian_number`` («1 250 000 kr», «87,5 %»); a text
    input because ``type=number`` refuses spaces, with ``inputmode`` for the right keyboard. Blank is
    None, a number is a Decimal.

    Error codes: "invalid", "whole" (a fraction where ``whole``), "negative" (only checked when the
    field has that message), "min_value" and "max_value" (with ``limit``/``limit_value``, the bound
    as it reads in the active language)."""

    default_error_messages = {
        "invalid": _("Skriv et tall, for eksempel 1 250 eller 12,5."),
        "whole": _("Skriv et helt tall."),
        "min_value": _("Tallet må være minst %(limit_value)s."),
        "max_value": _("Tallet kan være høyst %(limit_value)s."),
    }

    def __init__(
        self,
        *,
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        whole: bool = False,
        **kwargs: Any,
    ) -> None:
        self.min_value, self.max_value, self.whole = min_value, max_value, whole
        attrs = {"inputmode": "numeric" if whole else "decimal", "autocomplete": "off", "spellcheck": "false"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        try:
            return parse_norwegian_number(str(value), whole=self.whole)
        except NumberError as error:
            if error.code == "empty":  # only spaces
                return None
            raise forms.ValidationError(self.error_messages[error.code], code=error.code) from None

    def prepare_value(self, value: Any) -> Any:
        """An initial number as the field shows it, read back unchanged in every language; typed
        text as it was typed."""
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number_input(value)
        return value

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        if value is None:
            return
        if value < 0 and "negative" in self.error_messages:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if self.min_value is not None and value < self.min_value:
            raise self._beyond("min_value", self.min_value)
        if self.max_value is not None and value > self.max_value:
            raise self._beyond("max_value", self.max_value)

    def _beyond(self, code: str, limit: Decimal | int) -> forms.ValidationError:
        shown = format_number(Decimal(limit))
        params = {"limit": shown, "limit_value": shown}
        return forms.ValidationError(self.error_messages[code], code=code, params=params)
