"""No form field accepts a control character.

A NUL byte cannot be stored by PostgreSQL (in text it is refused by the driver, in jsonb by the
server: either way the request fails with a server error), and the other C0 control characters
(BEL, ESC, form feed …) are invisible, come in with text pasted from other programs and break what
the text is written to later (XML feeds, PDFs, CSV). Tab, line feed and carriage return are text.

Every form field of the portal — ours, the admin's, Django's and those of the packages we use —
refuses them with one message and shows what was typed without them, so that saving again works.
Django has no setting that reaches every form field, so ``install()`` (run once by
``PortalConfig.ready``) wraps the two methods every field goes through: ``Field.clean`` (checks
what was posted before the field reads it, and what the field made of it, since a JSON field turns
«\\u0000» into a NUL) and ``Field.bound_data`` (what a re-rendered form shows). Django's
``ModelMultipleChoiceField`` and ``JSONField`` have a ``clean`` or ``bound_data`` of their own that
never calls ``Field``'s; those are wrapped too. (A ``MultiValueField`` passes each part to its own
fields' ``clean``.) The admin's search box is refused through its search form like any field, but
``ChangeList`` shows its own copy of the search: it is made to show what was typed without them.

Text that reaches a service without a form (an import, a raw POST value) goes through
``reject_control_characters`` or ``without_control_characters``.
"""

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelMultipleChoiceField
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CODE = "control_characters"
MESSAGE = _(
    "Teksten inneholdt usynlige kontrolltegn (ofte fra tekst som er limt inn fra et annet program). "
    "Vi har fjernet dem: se over teksten og lagre på nytt."
)


def has_control_characters(value: Any) -> bool:
    """True when ``value`` — a string, or a list or mapping of them, as posted or as parsed JSON —
    holds a control character anywhere."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, Mapping):
        return any(has_control_characters(k) or has_control_characters(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_control_characters(item) for item in value)
    return False


def without_control_characters(value: Any) -> Any:
    """``value`` with every control character taken out of its strings (lists keep their shape)."""
    if isinstance(value, str):  # a str subclass stays one (JSONField's InvalidJSONInput)
        return type(value)(CONTROL_CHARACTERS.sub("", value)) if CONTROL_CHARACTERS.search(value) else value
    if isinstance(value, list | tuple):
        return type(value)(without_control_characters(item) for item in value)
    return value


def reject_control_characters(value: Any) -> None:
    """The validator: raises the portal's message when ``value`` holds a control character."""
    if has_control_characters(value):
        raise ValidationError(MESSAGE, code=CODE)


def _checked_clean(clean: Callable) -> Callable:
    @functools.wraps(clean)
    def wrapper(self, value, *args, **kwargs):
        if not self.disabled:  # a disabled field shows its initial value, whatever was posted
            reject_control_characters(value)
        cleaned = clean(self, value, *args, **kwargs)
        if not self.disabled:
            reject_control_characters(cleaned)
        return cleaned

    wrapper.checks_control_characters = True
    return wrapper


def _shown_without(bound_data: Callable) -> Callable:
    @functools.wraps(bound_data)
    def wrapper(self, data, initial):
        return without_control_characters(bound_data(self, data, initial))

    wrapper.checks_control_characters = True
    return wrapper


def _search_shown_without(init: Callable) -> Callable:
    @functools.wraps(init)
    def wrapper(self, request, *args, **kwargs):
        init(self, request, *args, **kwargs)
        if not self.query:  # refused (its message is shown) or empty: the search ran without it
            self.query = without_control_characters(request.GET.get("q", ""))  # the admin's SEARCH_VAR

    wrapper.checks_control_characters = True
    return wrapper


# Digits Python's int() and Decimal() read as numbers but nobody reading a number in Norway
# writes: Arabic-Indic «١٢٣», full-width «１２３», Devanagari … A number field takes 0–9 only.
NON_ASCII_DIGITS = re.compile(r"(?![0-9])\d")
DIGITS_MESSAGE = _("Skriv tallet med sifrene 0–9.")
# Characters that turn the direction of text: in a link they make the shown address differ from
# the real one («moc.elgoog» shown as …). A URL field refuses them.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
BIDI_MESSAGE = _(
    "Adressen inneholdt usynlige tegn som snur retningen på teksten, så lenken kunne vise noe annet "
    "enn den går til. Vi har fjernet dem: se over adressen og lagre på nytt."
)


def _checked_number(to_python: Callable) -> Callable:
    @functools.wraps(to_python)
    def wrapper(self, value):
        if isinstance(value, str) and NON_ASCII_DIGITS.search(value):
            raise ValidationError(DIGITS_MESSAGE, code="non_ascii_digits")
        return to_python(self, value)

    wrapper.checks_control_characters = True
    return wrapper


def _checked_url(to_python: Callable) -> Callable:
    @functools.wraps(to_python)
    def wrapper(self, value):
        if isinstance(value, str) and BIDI_CONTROLS.search(value):
            raise ValidationError(BIDI_MESSAGE, code="bidi_controls")
        return to_python(self, value)

    wrapper.checks_control_characters = True
    return wrapper


def _url_shown_without(bound_data: Callable) -> Callable:
    @functools.wraps(bound_data)
    def wrapper(self, data, initial):
        shown = bound_data(self, data, initial)
        return BIDI_CONTROLS.sub("", shown) if isinstance(shown, str) else shown

    wrapper.checks_control_characters = True
    return wrapper


def install() -> None:
    """Wrap the methods once (a second call changes nothing)."""
    from django.contrib.admin.views.main import ChangeList  # needs the app registry

    for cls, name, wrap in (
        (forms.Field, "clean", _checked_clean),
        (ModelMultipleChoiceField, "clean", _checked_clean),
        (forms.Field, "bound_data", _shown_without),
        (forms.JSONField, "bound_data", _shown_without),
        (ChangeList, "__init__", _search_shown_without),
        (forms.IntegerField, "to_python", _checked_number),
        (forms.DecimalField, "to_python", _checked_number),
        (forms.FloatField, "to_python", _checked_number),
        (forms.URLField, "to_python", _checked_url),
        (forms.URLField, "bound_data", _url_shown_without),
    ):
        own = cls.__dict__.get(name)
        if own is None:  # inherited (URLField's bound_data): wrap it on this class
            setattr(cls, name, wrap(getattr(cls, name)))
        elif not getattr(own, "checks_control_characters", False):
            setattr(cls, name, wrap(own))
