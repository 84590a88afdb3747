"""The statistics page's figures (/statistikk/), from the same rows as the project bank, so imported
history counts: applications (every project row, funded or not) and grants by year, scheme, fylke,
kommune, bærekraftsmål and kind of organisation, with success rate and amounts applied for and
granted. Three grouped queries (``statistics_tables``) and the names of the groups. Beside them
the expected benefits (gevinster) of funded projects against what their reports say was realised
(``benefit_rows``, one grouped query)."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db.models import Case, Count, Q, QuerySet, Sum, When
from django.utils.translation import gettext_lazy as _

from applications.models import BenefitKind, ExpectedBenefit
from organisations.models import County, Municipality, OrganisationKind
from portal.localized import localized
from schemes.models import Scheme, SustainableDevelopmentGoal

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


MEASURES = ("applications", "grants", "applied", "granted")


def _grouped(queryset: QuerySet, *keys: str) -> list[dict]:
    return list(
        queryset.values(*keys)
        .annotate(
            applications=Count("pk"),
            grants=Count("pk", filter=GRANTED),
            applied=Sum("amount_applied"),
            granted=Sum("amount_granted", filter=GRANTED),
        )
        .order_by()
    )


def _roll_up(cells: list[dict], key: str, label_of) -> list[Row]:
    """The rows by ``key`` from finer groups (the measures add up), ordered by key, none last."""
    totals: dict = {}
    for cell in cells:
        total = totals.setdefault(cell[key], dict.fromkeys(MEASURES, 0))
        for measure in MEASURES:
            total[measure] += cell[measure] or 0
    return [
        Row(key=str(value), label=label_of(value), applications=total["applications"], grants=total["grants"],
            applied=Decimal(total["applied"]), granted=Decimal(total["granted"]))
        for value, total in sorted(totals.items(), key=lambda item: (item[0] is None, item[0] or 0))
    ]  # fmt: skip


def _rows(queryset: QuerySet, key: str, label_of) -> list[Row]:
    return _roll_up(_grouped(queryset, key), key, label_of)


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


TABLES = ("ar", "ordning", "fylke", "kommune", "baerekraftsmal", "virksomhet")


def _municipality_rows(cells: list[dict], unknown: str) -> list[Row]:
    grouped = _roll_up(cells, "shown_municipality", str)
    names = dict(Municipality.objects.filter(number__in=[row.key for row in grouped]).values_list("number", "name"))
    rows = [
        Row(**{**row.__dict__, "label": f"{names[row.key]} ({row.key})" if row.key in names else unknown})
        for row in grouped
    ]
    return sorted(rows, key=lambda row: (row.label == unknown, row.label))


def _goal_rows(projects: QuerySet[Project]) -> list[Row]:
    """A project with several goals counts once under each; one without any under «Uten bærekraftsmål»."""
    goals = {goal.number: localized(goal, "name") for goal in SustainableDevelopmentGoal.objects.all()}
    none = str(_("Uten bærekraftsmål"))
    return _rows(projects, "sdgs__number", lambda n: f"{n} {goals.get(n, '')}".strip() if n else none)


def statistics_tables(*, form: StatisticsFilterForm) -> dict[str, list[Row]]:
    """The tables by key (``TABLES``): by year, scheme, fylke and kommune (of a project whose place is
    public; «Ukjent» otherwise), bærekraftsmål and kind of organisation."""
    projects = filtered_projects(form)
    names = Scheme.objects.only("id", "name", "name_nn", "name_en")
    schemes = {scheme.pk: localized(scheme, "name") for scheme in names}
    counties = dict(County.objects.values_list("number", "name"))
    kinds = dict(OrganisationKind.choices)
    unknown = str(_("Ukjent"))
    # Two scans of the projects instead of five: the year, scheme and kind tables are sums over one
    # grouping by all three, the fylke and kommune tables over one by place (tests/bench).
    cells = _grouped(projects, "year", "scheme_id", "organisation__kind")
    places = _grouped(
        projects.annotate(
            shown_county=Case(When(visible("place"), then="county_id"), default=None),
            shown_municipality=Case(When(visible("place"), then="municipality_id"), default=None),
        ),
        "shown_county",
        "shown_municipality",
    )
    by_scheme = _roll_up(cells, "scheme_id", lambda pk: schemes.get(pk, unknown))
    return {
        "ar": _roll_up(cells, "year", str),
        "ordning": sorted(by_scheme, key=lambda row: row.label),
        "fylke": _roll_up(places, "shown_county", lambda number: counties.get(number, unknown)),
        "kommune": _municipality_rows(places, unknown),
        "baerekraftsmal": _goal_rows(projects),
        "virksomhet": _roll_up(cells, "organisation__kind", lambda kind: str(kinds.get(kind, unknown))),
    }


@dataclass(frozen=True)
class BenefitRow:
    key: str
    label: str
    expected: int  # benefits the applications expected
    realised: int  # of them, with a realised value in a submitted report
    overdue: int  # of them, past their date with nothing reported


def benefit_rows(*, form: StatisticsFilterForm, today) -> list[BenefitRow]:
    """Expected benefits of the filtered projects that came from an application and whose results
    are public, by kind: how many, how many reported realised, how many past due unreported."""
    projects = filtered_projects(form).filter(visible("results"), application__isnull=False)
    counts = {
        cell["kind"]: cell
        for cell in ExpectedBenefit.objects.filter(application__project__in=projects.values("pk"))
        .values("kind")
        .annotate(
            expected=Count("pk", distinct=True),
            realised=Count("pk", filter=Q(realisations__isnull=False), distinct=True),
            overdue=Count("pk", filter=Q(realisations__isnull=True, due_on__lt=today), distinct=True),
        )
        .order_by()
    }
    return [
        BenefitRow(key=kind, label=str(label), expected=counts[kind]["expected"],
                   realised=counts[kind]["realised"], overdue=counts[kind]["overdue"])
        for kind, label in BenefitKind.choices
        if kind in counts
    ]  # fmt: skip
