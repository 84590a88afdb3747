"""«Mine søknader»'s filters (``selectors.applications_of_person`` runs them).

Query parameters are Norwegian, like the catalogue's: ``q`` (title or reference), ``status``,
``utlysning`` (a call's slug), ``organisasjon`` (an organisation number). The choices offered are
only what the person can see: their organisations, and the calls their applications are in.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from portal.forms import DesignsystemetMixin
from portal.localized import localized
from schemes.models import Call

from .models import Application, ApplicationPartner
from .workflow import _IN_PROCESS, APPLICANT_LABELS


def _status_groups() -> dict[str, tuple[str, list[str]]]:
    """One choice per status applicants read: the internal steps behind «Under behandling»
    (formal check, review, assessment) are one choice, so the filter reveals no more than the list."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for state, label in APPLICANT_LABELS.items():
        key = "under-behandling" if label is _IN_PROCESS else state.value
        groups.setdefault(key, (label, []))[1].append(state.value)
    return groups


STATUS_GROUPS = _status_groups()


class ApplicationFilterForm(DesignsystemetMixin, forms.Form):
    pass


class CallChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return localized(obj, "title")


class CallChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CallChoiceField


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Søk i tittel og saksnummer"), method="filter_text", max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )  # fmt: skip
    status = django_filters.ChoiceFilter(
        label=_("Status"), empty_label=_("Alle"), method="filter_status",
        choices=[(key, label) for key, (label, _states) in STATUS_GROUPS.items()],
    )  # fmt: skip
    utlysning = CallChoiceFilter(
        label=_("Utlysning"), field_name="call", to_field_name="slug", empty_label=_("Alle"),
        queryset=Call.objects.none(),
    )  # fmt: skip
    organisasjon = django_filters.ModelChoiceFilter(
        label=_("Organisasjon"), to_field_name="org_number", empty_label=_("Alle"),
        queryset=Organisation.objects.none(), method="filter_organisation",
    )  # fmt: skip

    class Meta:
        model = Application
        fields = []
        form = ApplicationFilterForm

    def __init__(self, data=None, queryset=None, *, organisation_ids=(), **kwargs):
        super().__init__(data=data, queryset=queryset, **kwargs)
        # Only what the person may see: a call is offered when one of the listed applications is in it.
        self.filters["utlysning"].queryset = (
            Call.objects.filter(pk__in=queryset.values("call_id"))
            .only("id", "slug", "title", "title_nn", "title_en")
            .order_by("-closes_at", "title")
        )
        self.filters["organisasjon"].queryset = (
            Organisation.objects.filter(pk__in=organisation_ids).only("id", "name", "org_number").order_by("name")
        )

    @property
    def cleaned(self) -> dict:
        self.errors  # noqa: B018 - validates the form
        return self.form.cleaned_data

    def filter_organisation(self, queryset, name, value):
        # The organisation's own applications, and those it is a partner in.
        partner_in = ApplicationPartner.objects.filter(organisation=value).values("application_id")
        return queryset.filter(Q(organisation=value) | Q(pk__in=partner_in))

    def filter_status(self, queryset, name, value):
        return queryset.filter(state__in=STATUS_GROUPS[value][1]) if value in STATUS_GROUPS else queryset

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value))
