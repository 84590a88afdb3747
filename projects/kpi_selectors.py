"""The innovative-procurement KPI page's figures (/statistikk/innovative-anskaffelser/): a programme's
targets (``projects.kpi``) against the funded projects the portal knows, in total, per region and
per year.

A process is one funded project whose scheme's instrument the programme counts (PPI or PCP); it is a
service innovation when it has one of the programme's service themes. A body is the project's owner:
state bodies and municipal bodies are counted once each (distinct organisations), so the regions'
and years' counts of bodies need not add up to the total. The region is the project's county when
its place is public, else the owner's county (public in the register). Three grouped queries.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from organisations.models import OrganisationKind
from organisations.regions import Region

from .kpi import ProcurementProgramme, ProgrammeInstrument
from .models import Project, visible

# Which kinds of organisation the programme's «statlige» and «kommunale» targets count.
STATE_KINDS = (OrganisationKind.STATLIG, OrganisationKind.HELSEFORETAK)
MUNICIPAL_KINDS = (OrganisationKind.KOMMUNE, OrganisationKind.FYLKESKOMMUNE)


@dataclass(frozen=True)
class Figures:
    key: str
    label: str
    state_bodies: int
    municipal_bodies: int
    processes: int
    ppi: int
    pcp: int
    service_innovations: int


@dataclass(frozen=True)
class Progress:
    key: str
    target: int
    achieved: int

    @property
    def share(self) -> int:
        """Per cent of the target reached (may pass 100)."""
        return round(100 * self.achieved / self.target) if self.target else 100

    @property
    def reached(self) -> bool:
        return self.achieved >= self.target


@dataclass(frozen=True)
class KpiReport:
    programme: ProcurementProgramme
    progress: list[Progress]
    total: Figures
    by_region: list[Figures]
    by_year: list[Figures]


def programme_list() -> QuerySet[ProcurementProgramme]:
    return ProcurementProgramme.objects.all()


def kpi_processes(*, programme: ProcurementProgramme, instruments: dict[str, str]) -> QuerySet[Project]:
    """The programme's processes: funded projects in its years whose scheme's instrument it counts,
    annotated with ``process`` (ppi/pcp), ``is_service`` and ``region``."""
    service = Project.themes.through.objects.filter(
        project_id=OuterRef("pk"), theme_id__in=programme.service_themes.values("pk")
    )
    return (
        Project.objects.funded()
        .filter(year__gte=programme.first_year, year__lte=programme.last_year, scheme__instrument__in=instruments)
        .annotate(
            process=Case(
                *(When(scheme__instrument=i, then=Value(p)) for i, p in instruments.items()), output_field=CharField()
            ),
            is_service=Exists(service),
            region=Case(When(visible("place"), then=F("county__region")), default=F("organisation__county__region")),
        )
    )


def _aggregates() -> dict:
    return {
        "state_bodies": Count("organisation", distinct=True, filter=Q(organisation__kind__in=STATE_KINDS)),
        "municipal_bodies": Count("organisation", distinct=True, filter=Q(organisation__kind__in=MUNICIPAL_KINDS)),
        "processes": Count("pk"),
        "ppi": Count("pk", filter=Q(process="ppi")),
        "pcp": Count("pk", filter=Q(process="pcp")),
        "service_innovations": Count("pk", filter=Q(is_service=True)),
    }


def _figures(key, label, item) -> Figures:
    return Figures(key=str(key), label=str(label), **{name: item.get(name) or 0 for name in _aggregates()})


def kpi_report(*, programme: ProcurementProgramme) -> KpiReport:
    instruments = dict(ProgrammeInstrument.objects.filter(programme=programme).values_list("instrument", "process"))
    processes = kpi_processes(programme=programme, instruments=instruments)
    total = _figures("total", "", processes.aggregate(**_aggregates()))
    regions = {item["region"]: item for item in processes.values("region").annotate(**_aggregates()).order_by()}
    by_region = [_figures(value, label, regions.pop(value, {})) for value, label in Region.choices]
    if regions:  # owner and project without a county
        by_region.append(_figures("ukjent", _("Ukjent"), next(iter(regions.values()))))
    years = {item["year"]: item for item in processes.values("year").annotate(**_aggregates()).order_by()}
    by_year = [
        _figures(year, year, years.get(year, {})) for year in range(programme.first_year, programme.last_year + 1)
    ]
    progress = [
        Progress("state_bodies", programme.target_state_bodies, total.state_bodies),
        Progress("municipal_bodies", programme.target_municipal_bodies, total.municipal_bodies),
        Progress("processes", programme.target_processes, total.processes),
        Progress("service_innovations", programme.target_service_innovations, total.service_innovations),
    ]
    return KpiReport(programme=programme, progress=progress, total=total, by_region=by_region, by_year=by_year)
