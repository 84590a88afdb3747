"""The question types. Each is one ``@register``-ed class with the form its parameters are set with.

Partner list, budget table and attachment slot are answered on their own pages; here they have
their parameters, ``is_answered`` and ``stored_errors`` on the stored shape, documented on each.
"""

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.budget import BudgetDataError, CostCategory, budget_from_json
from attachments.kinds import KINDS, FileKind
from attachments.names import split_extension
from portal.numbers import format_number_input
from schemes.eligibility.text import LANGUAGES, LocalizedText

from .base import KEY_PATTERN, Question, QuestionType, register
from .fields import AmountField, LongTextField, NorwegianDateField, NorwegianDecimalField, decimal_or_none


def _label(question: Question) -> str:
    """The field's label as HTML: a bokmål fallback on a nynorsk or English page is marked
    ``lang="nb"`` (``LocalizedText.__html__``); Django prints a safe label as it is."""
    return question.label.__html__()


def _help(question: Question, *extra: str) -> str:
    """The help text as HTML (the question's own help marked as ``_label``, then the limits)."""
    parts = [question.help] if question.help else []
    return format_html_join(" ", "{}", ((part,) for part in [*parts, *extra]))


def _number(value: Any) -> str:
    return number_format(value, force_grouping=True)


class NoParamsForm(forms.Form):
    pass


# --- text -----------------------------------------------------------------------------------------
class ShortTextParams(forms.Form):
    max_length = forms.IntegerField(
        label=_("Høyst antall tegn"), min_value=1, max_value=1000, required=False, help_text=_("Standard er 200.")
    )


@register
class ShortText(QuestionType):
    key = "short-text"
    label = _("Kort tekst")
    params_form = ShortTextParams

    def form_field(self, question):
        return forms.CharField(
            label=_label(question), help_text=_help(question), required=question.required,
            max_length=question.params.get("max_length", 200),
            error_messages={"max_length": _("Skriv høyst %(limit_value)d tegn (du har skrevet %(show_value)d).")},
        )  # fmt: skip


class LongTextParams(forms.Form):
    max_chars = forms.IntegerField(
        label=_("Høyst antall tegn"), min_value=1, max_value=50_000, required=False, help_text=_("Standard er 2 000.")
    )


@register
class LongText(QuestionType):
    key = "long-text"
    label = _("Lang tekst med tegngrense")
    params_form = LongTextParams

    def form_field(self, question):
        limit = question.params.get("max_chars", 2000)
        rows = 4 if limit <= 500 else 10
        return LongTextField(
            label=_label(question), required=question.required, max_length=limit,
            help_text=_help(question, gettext("Høyst %(limit)s tegn, mellomrom og linjeskift medregnet.")
                            % {"limit": _number(limit)}),
            widget=forms.Textarea(attrs={"rows": rows, "data-max-chars": limit}),
            error_messages={"max_length": _("Teksten er for lang: høyst %(limit_value)d tegn, du har skrevet "
                                             "%(show_value)d.")},
        )  # fmt: skip


# --- numbers, amounts, dates ----------------------------------------------------------------------
class NumberParams(forms.Form):
    min_value = NorwegianDecimalField(label=_("Minste tall"), required=False, max_digits=16, decimal_places=4)
    max_value = NorwegianDecimalField(label=_("Største tall"), required=False, max_digits=16, decimal_places=4)
    decimals = forms.IntegerField(
        label=_("Antall desimaler som er lov"), min_value=0, max_value=4, required=False, help_text=_("Standard er 0.")
    )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and high < low:
            self.add_error("max_value", _("Største tall kan ikke være mindre enn minste tall."))
        return cleaned


@register
class Number(QuestionType):
    """Stored as a string («12.5»), exact; shown in Norwegian format."""

    key = "number"
    label = _("Tall")
    params_form = NumberParams

    def form_field(self, question):
        params = question.params
        low, high = params.get("min_value"), params.get("max_value")
        decimals = params.get("decimals", 0)
        limits = []
        if low is not None and high is not None:
            limits.append(gettext("Fra %(low)s til %(high)s.") % {"low": _number(Decimal(str(low))),
                                                                   "high": _number(Decimal(str(high)))})  # fmt: skip
        field = NorwegianDecimalField(
            label=_label(question), required=question.required, help_text=_help(question, *limits),
            min_value=None if low is None else Decimal(str(low)),
            max_value=None if high is None else Decimal(str(high)),
            max_digits=16, decimal_places=decimals, localize=True,
            error_messages={"min_value": _("Tallet må være minst %(limit_value)s."),
                            "max_value": _("Tallet kan være høyst %(limit_value)s."),
                            **({"max_decimal_places": _("Skriv et helt tall.")} if not decimals else {})},
        )  # fmt: skip
        field.widget.attrs["inputmode"] = "decimal" if decimals else "numeric"
        return field

    def answer_from_cleaned(self, question, value):
        if value is None:
            return None
        # Fixed-point, never an exponent: Decimal("30").normalize() prints as «3E+1».
        return format(value.to_integral_value() if value == value.to_integral_value() else value, "f")

    def answer_to_form_value(self, question, value):
        """The stored «2.5» as the field shows it in the active language («2,5»); answers stored
        before exponents were ruled out («3E+1») show as «30»."""
        if value is None:
            return None
        number = decimal_or_none(value)
        return str(value) if number is None or not number.is_finite() else format_number_input(number)


class AmountParams(forms.Form):
    min_amount = AmountField(label=_("Minste beløp (kr)"), required=False, min_value=0)
    max_amount = AmountField(label=_("Største beløp (kr)"), required=False, min_value=0)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_amount"), cleaned.get("max_amount")
        if low is not None and high is not None and high < low:
            self.add_error("max_amount", _("Største beløp kan ikke være mindre enn minste beløp."))
        return cleaned


@register
class Amount(QuestionType):
    """Whole kroner, stored as an integer."""

    key = "amount"
    label = _("Beløp (kr)")
    params_form = AmountParams

    def form_field(self, question):
        low, high = question.params.get("min_amount"), question.params.get("max_amount")
        limits = [gettext("Hele kroner.")]
        if low is not None and high is not None:
            limits.append(gettext("Fra %(low)s til %(high)s kr.") % {"low": _number(low), "high": _number(high)})
        elif high is not None:
            limits.append(gettext("Høyst %(high)s kr.") % {"high": _number(high)})
        return AmountField(
            label=_label(question), required=question.required, help_text=_help(question, *limits),
            min_value=low, max_value=high,
        )  # fmt: skip


@register
class Date(QuestionType):
    """Stored as an ISO date («2026-11-22»), shown and typed as 22.11.2026."""

    key = "date"
    label = _("Dato")
    params_form = NoParamsForm

    def form_field(self, question):
        return NorwegianDateField(
            label=_label(question), required=question.required, help_text=_help(question, gettext("dd.mm.åååå"))
        )

    def answer_from_cleaned(self, question, value):
        return value.isoformat() if value else None


# --- choices --------------------------------------------------------------------------------------
YES, NO = "ja", "nei"


@register
class YesNo(QuestionType):
    """Stored as true or false."""

    key = "yes-no"
    label = _("Ja eller nei")
    params_form = NoParamsForm

    def form_field(self, question):
        return forms.ChoiceField(
            label=_label(question), required=question.required, help_text=_help(question),
            choices=[(YES, gettext("Ja")), (NO, gettext("Nei"))], widget=forms.RadioSelect,
            error_messages={"required": _("Svar ja eller nei.")},
        )  # fmt: skip

    def answer_from_cleaned(self, question, value):
        return {YES: True, NO: False}.get(value)

    def answer_to_form_value(self, question, value):
        return {True: YES, False: NO}.get(value) if isinstance(value, bool) else value

    def is_answered(self, value):
        return isinstance(value, bool)


class ChoicesField(forms.CharField):
    """Choices typed one a line: «verdi | bokmål | nynorsk | engelsk» (nynorsk and English may be left out)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def to_python(self, value):
        if isinstance(value, list):  # stored JSON
            return value
        text = super().to_python(value)
        choices, errors = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 2 or len(parts) > 4 or not parts[1]:
                errors.append(gettext("Linje %(n)s: skriv «verdi | bokmål | nynorsk | engelsk».") % {"n": number})
                continue
            choices.append({"value": parts[0], "label": dict(zip(LANGUAGES, parts[1:], strict=False))})
        if errors:
            raise ValidationError(errors)
        return choices

    def validate(self, value):
        if not value and self.required:
            raise ValidationError(gettext("Skriv minst to valg, ett på hver linje."), code="required")
        errors, seen = [], set()
        if not isinstance(value, list):
            raise ValidationError(gettext("Valgene må være en liste."))
        for choice in value:
            if not isinstance(choice, Mapping) or set(choice) != {"value", "label"}:
                errors.append(gettext("Hvert valg må ha «value» og «label»."))
                continue
            key = choice["value"]
            if not isinstance(key, str) or not KEY_PATTERN.match(key):
                errors.append(gettext("Verdien «%(value)s» må være små bokstaver (a–z), tall og bindestrek.")
                              % {"value": key})  # fmt: skip
            elif key in seen:
                errors.append(gettext("Verdien «%(value)s» står to ganger.") % {"value": key})
            seen.add(key)
            try:
                LocalizedText.from_json({k: v for k, v in choice["label"].items() if v})
            except (ValueError, TypeError, AttributeError):
                errors.append(gettext("Valget «%(value)s» må ha tekst på bokmål.") % {"value": key})
        if len(value) < 2:
            errors.append(gettext("Skriv minst to valg, ett på hver linje."))
        if errors:
            raise ValidationError(errors)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                " | ".join([str(c.get("value", "")), *(c.get("label", {}).get(lang, "") for lang in LANGUAGES)]).rstrip(
                    " |"
                )
                for c in value
                if isinstance(c, Mapping)
            )
        return value


def _choice_help():
    return _(
        "Ett valg per linje: «verdi | bokmål | nynorsk | engelsk», for eksempel «delvis | Delvis | Delvis | Partly»."
    )


class SingleChoiceParams(forms.Form):
    choices = ChoicesField(label=_("Valgene"), help_text=_choice_help())


def _choices(question: Question, *, html: bool = False) -> list[tuple[str, str]]:
    """The question's choices as (value, label); ``html`` labels mark a bokmål fallback (``_label``)."""
    texts = [(choice["value"], LocalizedText(**{k: v for k, v in choice["label"].items() if v}))
             for choice in question.params["choices"]]  # fmt: skip
    return [(value, text.__html__() if html else str(text)) for value, text in texts]


class _ChoiceType(QuestionType):
    def params_from_cleaned_data(self, cleaned_data):
        data = super().params_from_cleaned_data(cleaned_data)
        data["choices"] = [
            {"value": c["value"], "label": {k: v for k, v in c["label"].items() if v}} for c in data["choices"]
        ]
        return data


@register
class SingleChoice(_ChoiceType):
    """Stored as the chosen value."""

    key = "single-choice"
    label = _("Ett valg")
    params_form = SingleChoiceParams

    def form_field(self, question):
        return forms.ChoiceField(
            label=_label(question), required=question.required, help_text=_help(question),
            choices=_choices(question, html=True), widget=forms.RadioSelect,
            error_messages={"required": _("Velg ett av svarene."),
                            "invalid_choice": _("Velg ett av svarene i listen.")},
        )  # fmt: skip


class MultipleChoiceParams(forms.Form):
    choices = ChoicesField(label=_("Valgene"), help_text=_choice_help())
    min_selected = forms.IntegerField(label=_("Minst antall valg"), min_value=1, max_value=100, required=False)
    max_selected = forms.IntegerField(label=_("Høyst antall valg"), min_value=1, max_value=100, required=False)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_selected"), cleaned.get("max_selected")
        if low and high and high < low:
            self.add_error("max_selected", _("Høyst antall kan ikke være mindre enn minst antall."))
        return cleaned


class _CountedMultipleChoiceField(forms.MultipleChoiceField):
    def __init__(self, *, min_selected=None, max_selected=None, **kwargs):
        self.min_selected, self.max_selected = min_selected, max_selected
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and self.min_selected and len(value) < self.min_selected:
            raise ValidationError(ngettext("Velg minst %(n)s.", "Velg minst %(n)s.", self.min_selected)
                                  % {"n": self.min_selected})  # fmt: skip
        if self.max_selected and len(value) > self.max_selected:
            raise ValidationError(ngettext("Velg høyst %(n)s.", "Velg høyst %(n)s.", self.max_selected)
                                  % {"n": self.max_selected})  # fmt: skip


@register
class MultipleChoice(_ChoiceType):
    """Stored as a list of the chosen values, in the order of the choices."""

    key = "multiple-choice"
    label = _("Flere valg")
    params_form = MultipleChoiceParams

    def form_field(self, question):
        choices = _choices(question, html=True)
        return _CountedMultipleChoiceField(
            label=_label(question), required=question.required, help_text=_help(question), choices=choices,
            widget=forms.CheckboxSelectMultiple, min_selected=question.params.get("min_selected"),
            max_selected=question.params.get("max_selected"),
            error_messages={"required": _("Velg minst ett av svarene."),
                            "invalid_choice": _("Velg blant svarene i listen.")},
        )  # fmt: skip

    def answer_from_cleaned(self, question, value):
        order = [key for key, _label in _choices(question)]
        return [key for key in order if key in value] or None


# --- answered on their own pages ------------------------------------------------------------------
PARTNER_ROLES = ("partner", "research-partner", "company-partner", "co-funder")


class PartnersParams(forms.Form):
    min_partners = forms.IntegerField(label=_("Minst antall partnere"), min_value=0, max_value=50, required=False)
    max_partners = forms.IntegerField(label=_("Høyst antall partnere"), min_value=1, max_value=50, required=False)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_partners"), cleaned.get("max_partners")
        if low is not None and high is not None and high < low:
            self.add_error("max_partners", _("Høyst antall kan ikke være mindre enn minst antall."))
        return cleaned


@register
class Partners(QuestionType):
    """Stored as a list of ``{"org_number": "974760673", "role": "research-partner"}``, the roles
    being ``PARTNER_ROLES``; written by the partners page."""

    key = "partners"
    label = _("Partnerliste")
    params_form = PartnersParams
    answered_elsewhere = True

    def is_answered(self, value):
        return isinstance(value, list) and any(isinstance(p, Mapping) and p.get("org_number") for p in value)

    def stored_errors(self, question, value):
        errors = []
        if any(
            not isinstance(p, Mapping) or not re.fullmatch(r"\d{9}", str(p.get("org_number", "")))
            or p.get("role") not in PARTNER_ROLES
            for p in value
        ):  # fmt: skip
            errors.append(gettext("En partner mangler gyldig organisasjonsnummer eller rolle."))
        low, high = question.params.get("min_partners"), question.params.get("max_partners")
        if low and len(value) < low:
            errors.append(ngettext("Legg til minst %(n)s partner.", "Legg til minst %(n)s partnere.", low) % {"n": low})
        if high and len(value) > high:
            errors.append(ngettext("Høyst %(n)s partner er lov.", "Høyst %(n)s partnere er lov.", high) % {"n": high})
        return errors


# The keys and labels of ``applications.budget.CostCategory`` on main (the budget piece of this issue):
# one stored shape for both. After the merge, this can read them from there.
BUDGET_CATEGORIES = dict(CostCategory.choices)  # one list of categories: applications.budget


def _whole_kroner(value: Any) -> int | None:
    """A stored budget amount (a string of whole kroner, as the budget page writes it, or an int)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,13}", value):
        return int(value)
    return None


class BudgetParams(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Kostnadskategorier"), choices=list(BUDGET_CATEGORIES.items()), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst én kostnadskategori.")},
    )  # fmt: skip
    max_years = forms.IntegerField(
        label=_("Høyst antall år"), min_value=1, max_value=10, required=False, help_text=_("Standard er 5.")
    )

    def clean_categories(self):
        chosen = self.cleaned_data["categories"]
        return [key for key in BUDGET_CATEGORIES if key in chosen]


@register
class BudgetTable(QuestionType):
    """Stored as ``{"rows": {category: {year: amount}}, "own_funding": amount, "other_funding": amount,
    "requested": amount}``: categories from ``BUDGET_CATEGORIES``, years as strings («2027»), amounts
    as strings of whole kroner («400000»), as ``applications.budget`` writes them; written by the
    budget page. Co-financing rules of the call are checked there and at submit."""

    key = "budget"
    label = _("Budsjettabell")
    params_form = BudgetParams
    answered_elsewhere = True

    def is_answered(self, value):
        rows = value.get("rows") if isinstance(value, Mapping) else None
        return isinstance(rows, Mapping) and any(
            isinstance(years, Mapping) and any(_whole_kroner(amount) for amount in years.values())
            for years in rows.values()
        )

    def stored_errors(self, question, value):
        # Amounts, years and categories are read by applications.budget, the one reader of budgets.
        try:
            budget = budget_from_json(value)
        except BudgetDataError as error:
            return [str(error)]
        errors = []
        if {category for category, _year in budget.costs} - set(question.params.get("categories", BUDGET_CATEGORIES)):
            errors.append(gettext("Budsjettet har en kostnadskategori utlysningen ikke bruker."))
        max_years = question.params.get("max_years", 5)
        if len(budget.years) > max_years:
            errors.append(gettext("Budsjettet kan gå over høyst %(n)s år.") % {"n": max_years})
        return errors


class AttachmentParams(forms.Form):
    """The file kinds are the upload validator's (attachments.kinds), so a slot can never allow a
    kind that cannot be checked, and the size limit cannot promise more than the portal accepts."""

    allowed_extensions = forms.MultipleChoiceField(
        label=_("Filtyper som er lov"), choices=FileKind.choices,
        widget=forms.CheckboxSelectMultiple, error_messages={"required": _("Velg minst én filtype.")},
    )  # fmt: skip
    max_size_mb = forms.IntegerField(label=_("Største filstørrelse (MB)"), min_value=1)
    multiple = forms.BooleanField(label=_("Flere filer i samme vedleggsfelt"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = self.fields["max_size_mb"]
        limit.max_value = settings.MAX_UPLOAD_MB
        limit.validators.append(MaxValueValidator(settings.MAX_UPLOAD_MB))
        limit.widget.attrs["max"] = settings.MAX_UPLOAD_MB

    def clean_allowed_extensions(self):
        return [kind for kind in FileKind.values if kind in self.cleaned_data["allowed_extensions"]]


def kind_of_name(name: str, allowed) -> str | None:
    """The allowed file kind a file name's extension belongs to ("foto.jpeg" → "jpg"), or None."""
    _stem, extension = split_extension(str(name))
    return next((kind for kind in allowed if kind in KINDS and extension in KINDS[kind].extensions), None)


@register
class Attachment(QuestionType):
    """Stored as ``{"file_id", "name", "size", "sha256"}``, or a list of them when ``multiple``;
    written by the upload page, which checks extension and content (magic bytes) against the slot."""

    key = "attachment"
    label = _("Vedlegg")
    params_form = AttachmentParams
    answered_elsewhere = True

    def params_to_form_data(self, params):
        data = super().params_to_form_data(params)
        if data.get("multiple") is False:
            del data["multiple"]  # an unticked checkbox is absent from a form's data
        return data

    def params_from_cleaned_data(self, cleaned_data):
        return {**super().params_from_cleaned_data(cleaned_data), "multiple": bool(cleaned_data.get("multiple"))}

    @staticmethod
    def _files(value):
        return value if isinstance(value, list) else [value]

    def is_answered(self, value):
        return any(isinstance(f, Mapping) and f.get("file_id") for f in self._files(value))

    def stored_errors(self, question, value):
        errors = []
        files = self._files(value)
        if len(files) > 1 and not question.params.get("multiple"):
            errors.append(gettext("Bare én fil er lov her."))
        limit = question.params.get("max_size_mb", 10) * 1024 * 1024
        for f in files:
            if not isinstance(f, Mapping) or not {"file_id", "name", "size", "sha256"} <= set(f):
                errors.append(gettext("Et vedlegg mangler opplysninger."))
                continue
            if kind_of_name(f["name"], question.params.get("allowed_extensions", ())) is None:
                errors.append(gettext("«%(name)s» er ikke en filtype som er lov her.") % {"name": f["name"]})
            if not isinstance(f["size"], int) or f["size"] > limit:
                errors.append(gettext("«%(name)s» er større enn %(mb)s MB.")
                              % {"name": f["name"], "mb": question.params.get("max_size_mb", 10)})  # fmt: skip
        return errors
