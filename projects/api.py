"""Open data: /api/v1/projects (JSON, paginated) and /api/v1/projects.csv (every matching row), with
the project bank's filters (``filters.ProjectFilter``: the same query parameters) and stable ids.
Only what the bank shows publicly: a hidden summary or place is null/empty."""

import csv

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from schemes.models import SustainableDevelopmentGoal

from .selectors import project_bank_queryset, project_filterset

PAGE_SIZE, MAX_PAGE_SIZE = 100, 1000
COLUMNS = [
    "id", "title", "summary", "scheme", "call", "year", "granted_amount", "organisation_number", "organisation_name",
    "kommunenummer", "fylkesnummer", "sdgs", "status", "url",
]  # fmt: skip
FIELDS = (
    "id", "title", "summary", "call_title", "year", "amount_granted", "status", "public_summary", "redacted_summary",
    "public_place", "redacted_place", "municipality_id", "county_id", "organisation__org_number",
    "organisation__name", "scheme__slug",
)  # fmt: skip


def _queryset(filterset):
    goals = Prefetch("sdgs", queryset=SustainableDevelopmentGoal.objects.only("number").order_by("number"))
    return (
        project_bank_queryset(filterset)
        .select_related(None)
        .select_related("organisation", "scheme")
        .only(*FIELDS)
        .prefetch_related(goals)
    )


def _row(project, *, request) -> dict:
    place = project.shows("place")
    return {
        "id": project.pk,
        "title": project.title,
        "summary": project.summary if project.shows("summary") else None,
        "scheme": project.scheme.slug,
        "call": project.call_title or None,
        "year": project.year,
        "granted_amount": None if project.amount_granted is None else int(project.amount_granted),
        "organisation_number": project.organisation.org_number,
        "organisation_name": project.organisation.name,
        "kommunenummer": project.municipality_id if place else None,
        "fylkesnummer": project.county_id if place else None,
        "sdgs": [goal.number for goal in project.sdgs.all()],
        "status": project.status,
        "url": request.build_absolute_uri(reverse("project-detail", args=[project.pk])),
    }


def _errors(filterset) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in filterset.errors.items()}


def _error(errors) -> JsonResponse:
    response = JsonResponse({"error": _("Ugyldig filter."), "fields": errors}, status=400)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _int(value, *, default, maximum=None):
    if value in (None, ""):
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < 1 or (maximum and int(value) > maximum):
        return None
    return int(value)


@require_safe
def projects_json(request):
    filterset = project_filterset(request.GET)
    errors = _errors(filterset)
    number = _int(request.GET.get("side"), default=1)
    size = _int(request.GET.get("per_side"), default=PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    if number is None:
        errors["side"] = [_("Sidenummeret må være et helt tall fra 1 og oppover.")]
    if size is None:
        errors["per_side"] = [_("Antall per side må være et helt tall fra 1 til %(max)s.") % {"max": MAX_PAGE_SIZE}]
    if errors:
        return _error(errors)
    paginator = Paginator(_queryset(filterset), size)
    if number > max(paginator.num_pages, 1):
        return _error({"side": [_("Siden finnes ikke. Siste side er %(last)s.") % {"last": paginator.num_pages}]})
    page = paginator.page(number)

    def link(n):
        query = request.GET.copy()
        query["side"] = n
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    body = {
        "count": paginator.count,
        "page": number,
        "page_size": size,
        "next": link(number + 1) if page.has_next() else None,
        "previous": link(number - 1) if page.has_previous() else None,
        "results": [_row(project, request=request) for project in page.object_list],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def projects_csv(request):
    """Every matching project, semicolon-separated UTF-8 with a BOM (as /api/v1/calls.csv)."""
    filterset = project_filterset(request.GET)
    errors = _errors(filterset)
    if errors:
        return _error(errors)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="prosjekter.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for project in _queryset(filterset).iterator(chunk_size=2000):
        row = _row(project, request=request)
        row["sdgs"] = ", ".join(map(str, row["sdgs"]))
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return response
