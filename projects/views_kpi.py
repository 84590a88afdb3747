"""/statistikk/innovative-anskaffelser/: the supplier development programme's targets against the
portal's projects (``kpi_selectors``): progress towards each target, per region and per year, each
an SVG chart with a text alternative, a table and a CSV file (…/<table>.csv). Plain GET; no JavaScript."""

import csv

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from portal.localized import localized
from portal.numbers import format_number, format_percent

from .charts import bar_chart
from .kpi_selectors import Figures, KpiReport, kpi_report, programme_list

TABLES = ("mal", "region", "ar")


class ProgrammeForm(forms.Form):
    periode = forms.ModelChoiceField(label=gettext_lazy("Programperiode"), queryset=None, empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["periode"]
        field.queryset = programme_list()
        field.label_from_instance = lambda p: f"{localized(p, 'name')} {p.first_year}–{p.last_year}"

    def programme(self):
        """The chosen programme, or the latest when none (or an unknown one) is chosen."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["periode"]
        return next(iter(self.fields["periode"].queryset), None)


def _target_names() -> dict[str, str]:
    return {
        "state_bodies": _("Statlige virksomheter"),
        "municipal_bodies": _("Kommunale virksomheter"),
        "processes": _("OFI- og FKA-prosesser"),
        "service_innovations": _("herav tjenesteinnovasjoner"),
    }


def _columns() -> list[str]:
    return [_("Gruppe"), *_target_names().values(), _("herav OFI"), _("herav FKA")]


def _cells(figures: Figures) -> list:
    return [figures.label, figures.state_bodies, figures.municipal_bodies, figures.processes,
            figures.service_innovations, figures.ppi, figures.pcp]  # fmt: skip


def _description(title: str, labels: list[str], values: list[int], name: str) -> str:
    if not any(values):
        return _("%(title)s: ingen prosesser i perioden ennå. Alle tall står i tabellen.") % {"title": title}
    top = max(range(len(values)), key=values.__getitem__)
    return _("%(title)s: %(count)s grupper. Høyest «%(name)s»: %(label)s med %(value)s. Alle tall står i tabellen.") % {
        "title": title, "count": len(labels), "name": name.lower(), "label": labels[top],
        "value": format_number(values[top]),
    }  # fmt: skip


def _progress_figure(report: KpiReport) -> dict:
    names = _target_names()
    title = _("Måloppnåelse for perioden")
    labels = [names[p.key] for p in report.progress]
    targets, achieved = [p.target for p in report.progress], [p.achieved for p in report.progress]
    chart = bar_chart(labels=labels, series=[
        (_("Mål"), targets, [format_number(v) for v in targets]),
        (_("Oppnådd"), achieved, [format_number(v) for v in achieved]),
    ])  # fmt: skip
    parts = [
        _("%(name)s: %(achieved)s av %(target)s") % {"name": names[p.key], "achieved": format_number(p.achieved),
                                                    "target": format_number(p.target)}
        for p in report.progress
    ]  # fmt: skip
    rows = [
        [names[p.key], format_number(p.target), format_number(p.achieved), format_percent(p.share),
         _("Ja") if p.reached else _("Nei")]
        for p in report.progress
    ]  # fmt: skip
    return {
        "key": "mal", "title": title, "chart": chart,
        "description": f"{title}: " + "; ".join(parts) + ". " + _("Alle tall står i tabellen."),
        "columns": [_("Mål"), _("Målet"), _("Oppnådd"), _("Andel av målet"), _("Nådd")], "rows": rows,
    }  # fmt: skip


def _group_figure(key: str, title: str, groups: list[Figures]) -> dict:
    labels = [g.label for g in groups]
    processes, services = [g.processes for g in groups], [g.service_innovations for g in groups]
    names = _target_names()
    chart = bar_chart(labels=labels, series=[
        (names["processes"], processes, [format_number(v) for v in processes]),
        (names["service_innovations"], services, [format_number(v) for v in services]),
    ])  # fmt: skip
    rows = [[cells[0], *map(format_number, cells[1:])] for cells in map(_cells, groups)]
    return {
        "key": key, "title": title, "chart": chart, "columns": _columns(), "rows": rows,
        "description": _description(title, labels, processes, names["processes"]),
    }  # fmt: skip


def _figures(report: KpiReport) -> list[dict]:
    return [
        _progress_figure(report),
        _group_figure("region", _("Prosesser og virksomheter per region"), report.by_region),
        _group_figure("ar", _("Prosesser og virksomheter per år"), report.by_year),
    ]


@require_safe
def procurement_kpis(request):
    form = ProgrammeForm(request.GET or None)
    programme = form.programme()
    report = kpi_report(programme=programme) if programme else None
    context = {"form": form, "programme": programme, "report": report, "figures": _figures(report) if report else []}
    return render(request, "projects/procurement_kpis.html", context)


@require_safe
def procurement_kpis_csv(request, table):
    if table not in TABLES:
        raise Http404
    programme = ProgrammeForm(request.GET or None).programme()
    if programme is None:
        raise Http404
    report = kpi_report(programme=programme)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="innovative-anskaffelser-{table}.csv"'
    writer = csv.writer(response)
    if table == "mal":
        writer.writerow(["mal", "malverdi", "oppnadd", "andel_prosent"])
        for p in report.progress:
            writer.writerow([p.key, p.target, p.achieved, p.share])
        return response
    writer.writerow(["gruppe", "statlige_virksomheter", "kommunale_virksomheter", "prosesser",
                     "tjenesteinnovasjoner", "ofi", "fka"])  # fmt: skip
    for figures in report.by_region if table == "region" else report.by_year:
        writer.writerow([figures.key, *_cells(figures)[1:]])
    return response
