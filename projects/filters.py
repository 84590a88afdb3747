"""The project bank's filters (query parameters are Norwegian and part of the public addresses):
``q`` (search), ``ordning`` (scheme slug), ``ar`` (year), ``fylke`` (fylkesnummer), ``kommune``
(kommunenummer), ``baerekraftsmal`` (1–17), ``tema`` (theme slug), ``status``, ``belop_fra`` /
``belop_til`` (kr granted), ``sorter``. Place filters match only projects whose place is public."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from organisations.models import County
from schemes.filters import AmountFilter, CatalogueFilterForm, LocalizedModelChoiceFilter
from schemes.models import Scheme, SustainableDevelopmentGoal, Theme

from .models import Project, ProjectStatus, visible

SORTS = {
    "nyeste": ("-year", "title", "pk"),
    "eldste": ("year", "title", "pk"),
    "belop": ("-amount_granted", "title", "pk"),
    "tittel": ("title", "pk"),
}


def _noop(queryset, name, value):
    return queryset  # search and sort are applied by the selector


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Søk"), method=_noop, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    ordning = LocalizedModelChoiceFilter(
        label=_("Ordning"), field_name="scheme", to_field_name="slug", empty_label=_("Alle"),
        queryset=Scheme.objects.only("id", "slug", "name", "name_nn", "name_en").order_by("name"),
    )  # fmt: skip
    ar = django_filters.NumberFilter(label=_("År"), field_name="year", min_value=1990, max_value=2100)
    fylke = django_filters.ModelChoiceFilter(
        label=_("Fylke"), queryset=County.objects.all(), empty_label=_("Alle"), method="filter_county"
    )
    kommune = django_filters.CharFilter(
        label=_("Kommunenummer"), max_length=4, method="filter_municipality",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    baerekraftsmal = LocalizedModelChoiceFilter(
        label=_("Bærekraftsmål"), to_field_name="number", empty_label=_("Alle"), method="filter_goal",
        queryset=SustainableDevelopmentGoal.objects.order_by("number"),
    )  # fmt: skip
    tema = LocalizedModelChoiceFilter(
        label=_("Tema"), to_field_name="slug", empty_label=_("Alle"), method="filter_theme",
        queryset=Theme.objects.order_by("name"),
    )  # fmt: skip
    status = django_filters.ChoiceFilter(
        label=_("Status"), empty_label=_("Alle"),
        choices=[(ProjectStatus.ONGOING.value, ProjectStatus.ONGOING.label),
                 (ProjectStatus.COMPLETED.value, ProjectStatus.COMPLETED.label)],
    )  # fmt: skip
    belop_fra = AmountFilter(label=_("Beløp fra (kr)"), field_name="amount_granted", lookup_expr="gte")
    belop_til = AmountFilter(label=_("Beløp til (kr)"), field_name="amount_granted", lookup_expr="lte")
    sorter = django_filters.ChoiceFilter(
        label=_("Sorter"), method=_noop, empty_label=None, null_label=None,
        choices=[("nyeste", _("Nyeste først")), ("eldste", _("Eldste først")),
                 ("belop", _("Største beløp først")), ("tittel", _("Tittel"))],
    )  # fmt: skip

    class Meta:
        model = Project
        fields = []
        form = CatalogueFilterForm

    def filter_county(self, queryset, name, value):
        return queryset.filter(visible("place"), county=value)

    # The many-to-many filters are EXISTS subqueries, not joins: a join repeats a project per
    # matching row and needs a DISTINCT over the whole result, which at 100 000 projects made every
    # page of the bank and the API sort and de-duplicate them all (tests/bench/test_results_bench.py).
    def filter_goal(self, queryset, name, value):
        goals = Project.sdgs.through.objects.filter(project_id=OuterRef("pk"), sustainabledevelopmentgoal_id=value.pk)
        return queryset.filter(Exists(goals))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(Exists(Project.themes.through.objects.filter(project_id=OuterRef("pk"), theme=value)))

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(visible("place"), municipality_id=value)
