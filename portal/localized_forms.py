"""Form pieces shared by the admin's editors (eligibility rules, application forms).

A text an administrator writes in bokmål, nynorsk and English is three fields named
``<name>_nb``, ``<name>_nn`` and ``<name>_en``; bokmål is the one that must be there, since it is
the fallback (``LocalizedText``). The editors work without JavaScript, so «add one more» re-renders
every form as typed through ``unbound``.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from schemes.eligibility.text import LANGUAGES, LocalizedText

from .control_characters import MESSAGE, has_control_characters, without_control_characters

LANGUAGE_NAMES = {"nb": _("bokmål"), "nn": _("nynorsk"), "en": _("engelsk")}


def localized_text_fields(
    label: Promise | str | Mapping[str, Promise | str],
    *,
    required: bool = False,
    textarea: bool = False,
    max_length: int | None = None,
    help_text: Promise | str = "",
) -> tuple[forms.CharField, forms.CharField, forms.CharField]:
    """The nb, nn and en fields of one text, in that order: ``title_nb, title_nn, title_en = ...``.

    ``label`` is one label, shown as «label (language)», or a label per language. Only bokmål can
    be required, and only bokmål gets ``help_text``.
    """
    fields = []
    for language in LANGUAGES:
        widget = forms.Textarea(attrs={"rows": 2}) if textarea else forms.TextInput(attrs={"size": 60})
        fields.append(
            forms.CharField(
                label=label[language] if isinstance(label, Mapping)
                else format_lazy("{} ({})", label, LANGUAGE_NAMES[language]),
                max_length=max_length or (2000 if textarea else 300),
                required=required and language == "nb",
                widget=widget,
                help_text=help_text if language == "nb" else "",
            )
        )  # fmt: skip
    return tuple(fields)


def localized_initial(name: str, text: LocalizedText | Mapping[str, str] | None) -> dict[str, str]:
    """Initial data for the fields of ``name`` from a stored text (or its JSON)."""
    data = text.to_json() if isinstance(text, LocalizedText) else (text or {})
    return {f"{name}_{language}": value for language, value in data.items()}


class LocalizedTextsMixin:
    """For a form with ``localized_text_fields``: an optional text written in nynorsk or English is
    refused without its bokmål (the fallback), and ``localized(name)`` builds the ``LocalizedText``."""

    optional_texts: tuple[str, ...] = ()
    bokmal_missing_message: Promise | str = _("Skriv teksten på bokmål også, eller la den stå tom på alle språk.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.optional_texts:
            nb, nn, en = self._texts(cleaned, name)
            if (nn or en) and not nb:
                self.add_error(f"{name}_nb", self.bokmal_missing_message)
        return cleaned

    def localized(self, name: str) -> LocalizedText | None:
        """The cleaned text ``name``, or None when its bokmål is empty."""
        nb, nn, en = self._texts(self.cleaned_data, name)
        return LocalizedText(nb, nn, en) if nb else None

    @staticmethod
    def _texts(cleaned: Mapping[str, Any], name: str) -> tuple[str, str, str]:
        nb, nn, en = ((cleaned.get(f"{name}_{language}") or "").strip() for language in LANGUAGES)
        return nb, nn, en


def unbound(form: forms.Form) -> forms.Form:
    """The form again with what was posted as its initial data: shown as typed, with no errors —
    except where control characters were taken out of what was typed, which says so."""
    if not form.is_bound:
        return form
    typed = {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    }
    initial = {name: without_control_characters(value) for name, value in typed.items()}
    copy = type(form)(prefix=form.prefix, initial=initial)
    changed = [name for name, value in typed.items() if has_control_characters(value)]
    if changed:
        # An unbound form has no errors of its own; these render as after a POST.
        copy._errors = ErrorDict({name: copy.error_class([MESSAGE], renderer=copy.renderer) for name in changed})
    return copy
