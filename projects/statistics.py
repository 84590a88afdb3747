"""The statistics page's figures (/statistikk/), from the same rows as the project bank, so imported
history counts: applications (every project row, funded or not) and grants by year, scheme, fylke
and kind of organisation, with success rate and amounts applied for and granted. One grouped
query per table."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db.models import Case, Count, Q, QuerySet, Sum, When
from django.utils.translation import gettext_lazy as _

from organisations.models import County, OrganisationKind
from portal.localized import localized
from schemes.models import Scheme

from .models import Decision, Project, visible

GRANTED = Q(decision=Decision.GRANTED)


class StatisticsFilterForm(forms.Form):
    ordning = forms.ModelChoiceField(
        label=_("Ordning"), required=False, empty_label=_("Alle"), to_field_name="slug",
        queryset=Scheme.objects.only("id", "slug", "name", "name_nn", "name_en").order_by("name"),
    )  # fmt: skip
    fra = forms.IntegerField(label=_("Fra år"), required=False, min_value=1990, max_value=2100)
    til = forms.IntegerField(label=_("Til år"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ordning"].label_from_instance = lambda scheme: localized(scheme, "name")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("fra"), cleaned.get("til")
        if low and high and low > high:
            self.add_error("til", _("«Til år» kan ikke være før «fra år»."))
        return cleaned


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    applications: int
    grants: int
    applied: Decimal
    granted: Decimal

    @property
    def success_rate(self) -> Decimal | None:
        if not self.applications:
            return None
        return (Decimal(100) * self.grants / self.applications).quantize(Decimal("0.1"))


def _rows(queryset: QuerySet, key: str, label_of) -> list[Row]:
    grouped = (
        queryset.values(key)
        .annotate(
            applications=Count("pk"),
            grants=Count("pk", filter=GRANTED),
            applied=Sum("amount_applied"),
            granted=Sum("amount_granted", filter=GRANTED),
        )
        .order_by(key)
    )
    return [
        Row(
            key=str(item[key]),
            label=label_of(item[key]),
            applications=item["applications"],
            grants=item["grants"],
            applied=item["applied"] or Decimal(0),
            granted=item["granted"] or Decimal(0),
        )
        for item in grouped
    ]


def filtered_projects(form: StatisticsFilterForm) -> QuerySet[Project]:
    queryset = Project.objects.all()
    cleaned = form.cleaned_data if form.is_valid() else {}
    if cleaned.get("ordning"):
        queryset = queryset.filter(scheme=cleaned["ordning"])
    if cleaned.get("fra"):
        queryset = queryset.filter(year__gte=cleaned["fra"])
    if cleaned.get("til"):
        queryset = queryset.filter(year__lte=cleaned["til"])
    return queryset


TABLES = ("ar", "ordning", "fylke", "virksomhet")


def statistics_tables(*, form: StatisticsFilterForm) -> dict[str, list[Row]]:
    """The four tables by key (``TABLES``): by year, scheme, fylke (of a project whose place is public;
    «Ukjent» otherwise) and kind of organisation."""
    projects = filtered_projects(form)
    names = Scheme.objects.only("id", "name", "name_nn", "name_en")
    schemes = {scheme.pk: localized(scheme, "name") for scheme in names}
    counties = dict(County.objects.values_list("number", "name"))
    kinds = dict(OrganisationKind.choices)
    unknown = str(_("Ukjent"))
    by_county = projects.annotate(shown_county=Case(When(visible("place"), then="county_id"), default=None))
    return {
        "ar": _rows(projects, "year", str),
        "ordning": sorted(_rows(projects, "scheme_id", lambda pk: schemes.get(pk, unknown)), key=lambda r: r.label),
        "fylke": _rows(by_county, "shown_county", lambda number: counties.get(number, unknown)),
        "virksomhet": _rows(projects, "organisation__kind", lambda kind: str(kinds.get(kind, unknown))),
    }
