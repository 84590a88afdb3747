"""The forms of the partners, budget and attachment pages. They read what was typed; the services
(``applications.services``) decide and write."""

from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from attachments.kinds import KINDS
from organisations.models import OrganisationKind
from organisations.validators import clean_organisation_number
from portal.forms import DesignsystemetMixin

from .budget import Budget, CostCategory, over_financed_message
from .formdef.fields import AmountField
from .models import PartnerRole

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years applications.budget accepts


class PartnerAddForm(DesignsystemetMixin, forms.Form):
    org_number = forms.CharField(
        label=_("Organisasjonsnummer"),
        max_length=30,
        help_text=_("9 sifre, for eksempel 974 760 673."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Rolle i prosjektet"), choices=[("", "—"), *PartnerRole.choices])
    name = forms.CharField(
        label=_("Navn på organisasjonen"),
        max_length=200,
        required=False,
        help_text=_("Bare når organisasjonen ikke er registrert i portalen."),
    )
    kind = forms.ChoiceField(
        label=_("Type virksomhet"),
        choices=[("", "—"), *OrganisationKind.choices],
        required=False,
        help_text=_("Bare når organisasjonen ikke er registrert i portalen."),
    )

    def clean_org_number(self):
        return clean_organisation_number(self.cleaned_data["org_number"])


class BudgetYearsForm(DesignsystemetMixin, forms.Form):
    """Which calendar years the table shows: a first year and how many."""

    first_year = forms.IntegerField(label=_("Første år"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    years = forms.TypedChoiceField(label=_("Antall år"), coerce=int)

    def __init__(self, *args, max_years: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["years"].choices = [(n, str(n)) for n in range(1, max_years + 1)]
        self.fields["first_year"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self):
        cleaned = super().clean()
        first, count = cleaned.get("first_year"), cleaned.get("years")
        if first and count and first + count - 1 > LAST_YEAR:
            self.add_error("first_year", _("Budsjettet kan ikke gå lenger enn til %(year)s.") % {"year": LAST_YEAR})
        return cleaned


def cell_name(category: str, year: int) -> str:
    return f"b-{category}-{year}"


FUNDING = ("own_funding", "other_funding")  # the amount applied for is what they leave of the costs


class BudgetForm(forms.Form):
    """One amount field per cell (``b-<category>-<year>``) and the two financing amounts; the amount
    applied for is derived (``Budget.requested``), not typed. An empty cell is no cost; a cell that is
    not an amount is an error on that cell; financing above the costs is an error of the form."""

    def __init__(self, *args, categories: list[str], years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.categories, self.years = categories, years
        for category in categories:
            label = CostCategory(category).label
            for year in years:
                self.fields[cell_name(category, year)] = AmountField(
                    label=_("%(category)s %(year)s") % {"category": label, "year": year},
                    min_value=0,
                    required=False,
                )
        self.fields["own_funding"] = AmountField(label=_("Egenfinansiering"), min_value=0, required=False)
        self.fields["other_funding"] = AmountField(label=_("Annen finansiering"), min_value=0, required=False)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")

    @classmethod
    def initial_from(cls, budget: Budget, *, categories: list[str], years: list[int]) -> dict:
        initial: dict = {}
        for (category, year), amount in budget.costs.items():
            if category in categories and year in years:
                initial[cell_name(category, year)] = int(amount)
        for name in FUNDING:
            amount = getattr(budget, name)
            initial[name] = int(amount) if amount else None
        return initial

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            budget = self.readable_budget()
            if budget.over_financed:
                raise forms.ValidationError(over_financed_message(budget), code="over-financed")
        return cleaned

    @property
    def unreadable(self) -> bool:
        """Some typed amount could not be read (errors of the whole form are not about reading)."""
        return any(name != NON_FIELD_ERRORS for name in self.errors)

    def rows(self) -> list[tuple[str, str, list]]:
        """``[(category, label, [bound field per year])]`` for the table."""
        return [
            (category, CostCategory(category).label, [self[cell_name(category, year)] for year in self.years])
            for category in self.categories
        ]

    def readable_budget(self) -> Budget:
        """The budget from the cells that could be read (the others count as empty): for the live
        totals while someone is still typing. Call after ``is_valid()``."""
        cleaned = getattr(self, "cleaned_data", {})
        costs = {}
        for category in self.categories:
            for year in self.years:
                value = cleaned.get(cell_name(category, year))
                if value is not None:
                    costs[(category, year)] = Decimal(value)
        funding = {name: Decimal(cleaned.get(name) or 0) for name in FUNDING}
        return Budget(costs=costs, **funding)


class AttachmentUploadForm(DesignsystemetMixin, forms.Form):
    file = forms.FileField(
        label=_("Velg fil"),
        error_messages={"required": _("Velg en fil å laste opp."), "empty": _("Filen er tom (0 byte).")},
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        extensions = [f".{ext}" for code in allowed if code in KINDS for ext in KINDS[code].extensions]
        self.fields["file"].widget.attrs["accept"] = ",".join(extensions)
