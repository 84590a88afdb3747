"""/statistikk/ (seven charts, each an SVG with title and text alternative, the same figures in a
table and as CSV) and /statistikk/<table>.csv. Plain GET filters; no JavaScript."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.numbers import format_kroner, format_number, format_percent

from .charts import bar_chart
from .statistics import TABLES, StatisticsFilterForm, benefit_rows, statistics_tables

CHART_MUNICIPALITIES = 15


def _titles() -> dict[str, str]:
    return {
        "ar": _("Søknader og tilskudd per år"),
        "ordning": _("Søkt og innvilget beløp per ordning"),
        "fylke": _("Tilskudd per fylke"),
        "kommune": _("Tilskudd per kommune"),
        "baerekraftsmal": _("Søknader og tilskudd per bærekraftsmål"),
        "virksomhet": _("Søknader og tilskudd per type virksomhet"),
    }


def _series(key, rows):
    labels = [row.label for row in rows]
    if key == "ordning":
        return labels, [
            (_("Søkt"), [row.applied for row in rows], [format_kroner(row.applied) for row in rows]),
            (_("Innvilget"), [row.granted for row in rows], [format_kroner(row.granted) for row in rows]),
        ]
    if key == "kommune":  # the table has every kommune; the chart the ones with most grants
        rows = sorted(rows, key=lambda row: (-row.grants, row.label))[:CHART_MUNICIPALITIES]
        labels = [row.label for row in rows]
    grants = (_("Tilskudd"), [row.grants for row in rows], [format_number(row.grants) for row in rows])
    if key in ("fylke", "kommune"):
        return labels, [grants]
    applications = (_("Søknader"), [r.applications for r in rows], [format_number(r.applications) for r in rows])
    return labels, [applications, grants]


def _description(title, labels, series, key) -> str:
    if not labels:
        return _("Ingen tall for dette utvalget.")
    name, values, texts = series[-1]
    top = max(range(len(values)), key=values.__getitem__)
    if key == "kommune":
        return _("%(title)s: figuren viser de %(count)s kommunene med flest tilskudd. Høyest: %(label)s med "
                 "%(value)s. Alle kommuner står i tabellen.") % {
            "title": title, "count": len(labels), "label": labels[top], "value": texts[top],
        }  # fmt: skip
    return _("%(title)s: %(count)s grupper. Høyest «%(name)s»: %(label)s med %(value)s. Alle tall står i tabellen.") % {
        "title": title, "count": len(labels), "name": name.lower(), "label": labels[top], "value": texts[top],
    }  # fmt: skip


@require_safe
def statistics(request):
    form = StatisticsFilterForm(request.GET or None)
    tables = statistics_tables(form=form)
    titles = _titles()
    figures = []
    for key in TABLES:
        rows = tables[key]
        labels, series = _series(key, rows)
        figures.append({
            "key": key, "title": titles[key], "chart": bar_chart(labels=labels, series=series),
            "description": _description(titles[key], labels, series, key),
            "rows": [{"label": row.label, "applications": format_number(row.applications),
                      "grants": format_number(row.grants),
                      "rate": format_percent(row.success_rate) if row.success_rate is not None else "–",
                      "applied": format_kroner(row.applied), "granted": format_kroner(row.granted)} for row in rows],
        })  # fmt: skip
    return render(request, "projects/statistics.html", {"form": form, "figures": figures, "benefits": _benefits(form)})


BENEFITS = "gevinster"


def _benefits(form) -> dict:
    """Expected against realised benefits by kind: a chart, its text alternative and the table."""
    rows = benefit_rows(form=form, today=timezone.localdate())
    title = _("Forventede og realiserte gevinster per type")
    labels = [row.label for row in rows]
    series = [
        (_("Forventet"), [row.expected for row in rows], [format_number(row.expected) for row in rows]),
        (_("Realisert"), [row.realised for row in rows], [format_number(row.realised) for row in rows]),
    ]
    if rows:
        description = _(
            "%(title)s: %(expected)s forventede gevinster i %(count)s typer, %(realised)s rapportert realisert, "
            "%(overdue)s forfalt uten rapport. Alle tall står i tabellen."
        ) % {
            "title": title, "count": len(rows), "expected": format_number(sum(r.expected for r in rows)),
            "realised": format_number(sum(r.realised for r in rows)),
            "overdue": format_number(sum(r.overdue for r in rows)),
        }  # fmt: skip
    else:
        description = _("Ingen tall for dette utvalget.")
    return {
        "key": BENEFITS, "title": title, "chart": bar_chart(labels=labels, series=series), "description": description,
        "columns": [_("Type gevinst"), _("Forventet"), _("Realisert"), _("Forfalt uten rapport")],
        "rows": [[row.label, *map(format_number, (row.expected, row.realised, row.overdue))] for row in rows],
    }  # fmt: skip


@require_safe
def statistics_csv(request, table):
    if table == BENEFITS:
        return _benefits_csv(request)
    if table not in TABLES:
        raise Http404
    form = StatisticsFilterForm(request.GET or None)
    rows = statistics_tables(form=form)[table]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistikk-{table}.csv"'
    writer = csv.writer(response)
    writer.writerow(["gruppe", "soknader", "tilskudd", "tilslagsprosent", "sokt_belop", "innvilget_belop"])
    for row in rows:
        rate = "" if row.success_rate is None else str(row.success_rate)
        writer.writerow([row.label, row.applications, row.grants, rate, row.applied, row.granted])
    return response


def _benefits_csv(request):
    rows = benefit_rows(form=StatisticsFilterForm(request.GET or None), today=timezone.localdate())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistikk-{BENEFITS}.csv"'
    writer = csv.writer(response)
    writer.writerow(["type", "forventet", "realisert", "forfalt_uten_rapport"])
    for row in rows:
        writer.writerow([row.key, row.expected, row.realised, row.overdue])
    return response
