"""The catalogue's filters: one FilterSet for the page, the calendar feed and the open data API.

Query parameters are Norwegian and part of the public API (README, «Open data API»):
``q``, ``forvalter`` (organisation number), ``soker`` (organisation kind), ``tema`` (theme slug),
``baerekraftsmal`` (1–17), ``status`` (apen/kommende/stengt), ``belop_fra``/``belop_til`` (kr),
``arkiverte`` (show archived schemes). Free-text search is applied by the selector, which knows
the database (``selectors.scheme_search``); here ``q`` is only cleaned.
"""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, OrganisationKind
from portal.forms import DesignsystemetMixin, NorwegianNumberField
from portal.localized import localized

from .models import Call, CallStatus, Scheme, SchemeApplicantKind, SustainableDevelopmentGoal, Theme

MAX_AMOUNT = Decimal(10**12)


class AmountField(NorwegianNumberField):
    """Whole kroner, 0 to 10^12, read by ``portal.numbers``: «1 250 000», «1.250.000», «1 250 000 kr»,
    «1250000,00»; «1250000,50» is refused (kroner are whole)."""

    default_error_messages = {
        "invalid": _("Skriv beløpet som et tall i hele kroner, for eksempel 500 000."),
        "whole": _("Skriv beløpet som et tall i hele kroner, for eksempel 500 000."),
        "negative": _("Beløpet kan ikke være negativt."),
        "max_value": _("Beløpet kan være høyst %(limit)s kr."),
    }

    def __init__(self, **kwargs):
        super().__init__(whole=True, max_value=MAX_AMOUNT, **kwargs)


class AmountFilter(django_filters.Filter):
    field_class = AmountField


class LocalizedModelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if isinstance(obj, SustainableDevelopmentGoal):
            return f"{obj.number}. {localized(obj, 'name')}"
        return localized(obj, "name")


class LocalizedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = LocalizedModelChoiceField


class CatalogueFilterForm(DesignsystemetMixin, forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("belop_fra"), cleaned.get("belop_til")
        if low is not None and high is not None and low > high:
            # add_error drops the field from cleaned_data, so the impossible range filters nothing
            self.add_error("belop_til", _("«Beløp til» kan ikke være mindre enn «beløp fra»."))
        return cleaned


def _noop(queryset, name, value):
    return queryset  # combined in SchemeFilter.filter_queryset, which sees all the values at once


class SchemeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Søk"), method=_noop, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    forvalter = django_filters.ModelChoiceFilter(
        label=_("Forvalter"), field_name="agencies", to_field_name="org_number", empty_label=_("Alle"),
        queryset=Organisation.objects.filter(is_funding_agency=True).only("id", "name", "org_number"),
    )  # fmt: skip
    soker = django_filters.ChoiceFilter(
        label=_("Hvem søker"), choices=OrganisationKind.choices, empty_label=_("Alle"), method="filter_applicant_kind"
    )
    tema = LocalizedModelChoiceFilter(
        label=_("Tema"), field_name="themes", to_field_name="slug", queryset=Theme.objects.all(), empty_label=_("Alle")
    )
    baerekraftsmal = LocalizedModelChoiceFilter(
        label=_("Bærekraftsmål"), field_name="sdgs", queryset=SustainableDevelopmentGoal.objects.all(),
        empty_label=_("Alle"),
    )  # fmt: skip
    status = django_filters.ChoiceFilter(
        label=_("Utlysning"), choices=CallStatus.choices, empty_label=_("Alle"), method=_noop
    )
    belop_fra = AmountFilter(
        label=_("Beløp fra (kr)"), method=_noop, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    belop_til = AmountFilter(
        label=_("Beløp til (kr)"), method=_noop, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    arkiverte = django_filters.BooleanFilter(
        label=_("Vis arkiverte ordninger"), widget=forms.CheckboxInput, method=_noop
    )

    class Meta:
        model = Scheme
        fields = []
        form = CatalogueFilterForm

    def __init__(self, data=None, queryset=None, *, now=None, **kwargs):
        super().__init__(data=data, queryset=queryset, **kwargs)
        self.now = now or timezone.now()

    @property
    def cleaned(self) -> dict:
        self.errors  # noqa: B018 - validates the form
        return self.form.cleaned_data

    def filter_applicant_kind(self, queryset, name, value):
        # No rows for a scheme means no kind rule: open to every kind.
        kinds = SchemeApplicantKind.objects.filter(scheme=OuterRef("pk"))
        return queryset.filter(Exists(kinds.filter(kind=value)) | ~Exists(kinds))

    def call_conditions(self) -> Q:
        """What a call must satisfy: its status, and [min, max] overlapping the amount range (a call
        without amounts matches). Used on the schemes' calls here and on the calls of the feeds."""
        data, now, condition = self.cleaned, self.now, Q()
        low, high = data.get("belop_fra"), data.get("belop_til")
        if high is not None:
            condition &= Q(min_amount__isnull=True) | Q(min_amount__lte=high)
        if low is not None:
            condition &= Q(max_amount__isnull=True) | Q(max_amount__gte=low)
        status = data.get("status")
        if status == CallStatus.OPEN:
            condition &= Q(opens_at__lte=now, closes_at__gt=now)
        elif status == CallStatus.UPCOMING:
            condition &= Q(opens_at__gt=now)
        elif status == CallStatus.CLOSED:
            condition &= Q(closes_at__lte=now)
        return condition

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.cleaned
        if not data.get("arkiverte"):
            queryset = queryset.filter(is_active=True)
        if data.get("status") or data.get("belop_fra") is not None or data.get("belop_til") is not None:
            calls = Call.objects.filter(scheme=OuterRef("pk"))
            queryset = queryset.filter(Exists(calls.filter(self.call_conditions())))
            if data.get("status") == CallStatus.CLOSED:
                # closed: nothing to apply for now or soon, though earlier calls exist
                queryset = queryset.exclude(Exists(calls.filter(closes_at__gt=self.now)))
        return queryset
