"""Open data: the deadline calendar (/kalender.ics) and the calls API (/api/v1/calls, .csv).

All take the catalogue's filters (``SchemeFilter``); a bad filter value is a 400 with a message in
Norwegian (plain text for the calendar, JSON for the API), never a 500. Public, so any origin may
read them (CORS ``*``); nothing here depends on who asks.
"""

import csv
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Alarm, Calendar, Event

from portal.localized import localized

from ..filters import SchemeFilter
from ..selectors import calls_for_feeds

OSLO = ZoneInfo("Europe/Oslo")
UID_DOMAIN = "innovasjonsportalen.no"  # UIDs must not change with the host name a feed is read from
EVENT_LENGTH = timedelta(hours=1)  # the event ends at the deadline (DTEND must be after DTSTART)
API_PAGE_SIZE, API_MAX_PAGE_SIZE = 50, 200
CSV_COLUMNS = [
    "id", "slug", "title", "title_nn", "title_en", "status", "opens_at", "closes_at", "budget", "min_amount",
    "max_amount", "own_funding_min_percent", "max_duration_months", "call_url", "scheme_slug", "scheme_name",
    "scheme_name_nn", "scheme_name_en", "scheme_is_active", "agencies", "agency_org_numbers", "themes", "sdgs",
    "applicant_kinds", "portal_url",
]  # fmt: skip


def _filters_from(request) -> tuple[SchemeFilter, dict[str, list[str]]]:
    filterset = SchemeFilter(data=request.GET)
    errors = {field: [str(message) for message in messages] for field, messages in filterset.errors.items()}
    return filterset, errors


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error_text(errors: dict[str, list[str]]) -> str:
    lines = [_("Ugyldig filter:")]
    for field, messages in errors.items():
        lines += [f"- {field}: {message}" for message in messages]
    return "\n".join(lines) + "\n"


@require_safe
def calendar(request):
    filterset, errors = _filters_from(request)
    if errors:
        return _cors(HttpResponseBadRequest(_error_text(errors), content_type="text/plain; charset=utf-8"))
    calls = calls_for_feeds(filterset=filterset, current_only=True)
    ical = Calendar()
    ical.add("prodid", "-//Innovasjonsportalen//Søknadsfrister//NB")
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("method", "PUBLISH")
    ical.add("x-wr-calname", _("Søknadsfrister – Innovasjonsportalen"))
    ical.add("x-wr-timezone", "Europe/Oslo")
    stamp = timezone.now()
    for call in calls:
        deadline = call.closes_at.astimezone(OSLO)
        scheme_name, title = localized(call.scheme, "name"), localized(call, "title")
        page_url = request.build_absolute_uri(reverse("scheme-detail", args=[call.scheme.slug]))
        event = Event()
        event.add("uid", f"utlysning-{call.pk}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline - EVENT_LENGTH)
        event.add("dtend", deadline)
        event.add("summary", _("Søknadsfrist: %(scheme)s – %(call)s") % {"scheme": scheme_name, "call": title})
        event.add(
            "description",
            _("Søknadsfristen er %(deadline)s norsk tid. Les mer: %(url)s")
            % {"deadline": deadline.strftime("%d.%m.%Y kl. %H:%M"), "url": page_url},
        )
        event.add("url", page_url)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Søknadsfrist i morgen: %(call)s") % {"call": title})
        alarm.add("trigger", timedelta(days=-1), parameters={"RELATED": "END"})
        event.add_component(alarm)
        ical.add_component(event)
    ical.add_missing_timezones()
    response = HttpResponse(ical.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="soknadsfrister.ics"'
    return _cors(response)


def _positive_int(value: str | None, *, default: int, maximum: int | None = None) -> int | None:
    if value in (None, ""):
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < 1 or (maximum is not None and int(value) > maximum):
        return None
    return int(value)


def _json_error(errors: dict[str, list[str]]) -> JsonResponse:
    return _cors(JsonResponse({"error": _("Ugyldig filter."), "fields": errors}, status=400))


def _call_row(call, *, request, now) -> dict:
    scheme = call.scheme
    kinds = [row.kind for row in scheme.applicant_kinds.all()]

    def amount(value):
        return None if value is None else int(value)

    return {
        "id": call.pk,
        "slug": call.slug,
        "title": call.title,
        "title_nn": call.title_nn,
        "title_en": call.title_en,
        "status": call.status(now=now),
        "opens_at": call.opens_at.astimezone(OSLO).isoformat(),
        "closes_at": call.closes_at.astimezone(OSLO).isoformat(),
        "budget": amount(call.budget),
        "min_amount": amount(call.min_amount),
        "max_amount": amount(call.max_amount),
        "own_funding_min_percent": None if call.own_funding_min_percent is None else str(call.own_funding_min_percent),
        "max_duration_months": call.max_duration_months,
        "call_url": call.url,
        "portal_url": request.build_absolute_uri(reverse("scheme-detail", args=[scheme.slug])),
        "scheme": {
            "slug": scheme.slug,
            "name": scheme.name,
            "name_nn": scheme.name_nn,
            "name_en": scheme.name_en,
            "is_active": scheme.is_active,
            "agencies": [{"name": a.name, "org_number": a.org_number} for a in scheme.agencies.all()],
            "themes": [theme.slug for theme in scheme.themes.all()],
            "sdgs": [goal.number for goal in scheme.sdgs.all()],
            "applicant_kinds": kinds or None,  # None: no kind rule, open to every kind
        },
    }


def _api_calls(filterset):
    return calls_for_feeds(filterset=filterset, current_only=False).prefetch_related(
        "scheme__agencies", "scheme__themes", "scheme__sdgs", "scheme__applicant_kinds"
    )


@require_safe
def calls_json(request):
    if request.GET.get("format") == "csv":
        return calls_csv(request)
    filterset, errors = _filters_from(request)
    page_number = _positive_int(request.GET.get("side"), default=1)
    page_size = _positive_int(request.GET.get("per_side"), default=API_PAGE_SIZE, maximum=API_MAX_PAGE_SIZE)
    if page_number is None:
        errors["side"] = [_("Sidenummeret må være et helt tall fra 1 og oppover.")]
    if page_size is None:
        errors["per_side"] = [_("Antall per side må være et helt tall fra 1 til %(max)s.") % {"max": API_MAX_PAGE_SIZE}]
    if errors:
        return _json_error(errors)
    paginator = Paginator(_api_calls(filterset), page_size)
    if page_number > max(paginator.num_pages, 1):
        return _json_error({"side": [_("Siden finnes ikke. Siste side er %(last)s.") % {"last": paginator.num_pages}]})
    page = paginator.page(page_number)
    now = filterset.now

    def link(number):
        query = request.GET.copy()
        query["side"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    body = {
        "count": paginator.count,
        "page": page_number,
        "page_size": page_size,
        "next": link(page_number + 1) if page.has_next() else None,
        "previous": link(page_number - 1) if page.has_previous() else None,
        "results": [_call_row(call, request=request, now=now) for call in page.object_list],
    }
    return _cors(JsonResponse(body, json_dumps_params={"ensure_ascii": False}))


@require_safe
def calls_csv(request):
    """Every matching call, one row each (no pagination), semicolon-separated UTF-8 with a BOM so
    Excel in a Norwegian locale opens it as columns with æøå intact."""
    filterset, errors = _filters_from(request)
    if errors:
        return _json_error(errors)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="utlysninger.csv"'
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    now = filterset.now
    for call in _api_calls(filterset):
        row = _call_row(call, request=request, now=now)
        scheme = row.pop("scheme")
        row.update(
            scheme_slug=scheme["slug"],
            scheme_name=scheme["name"],
            scheme_name_nn=scheme["name_nn"],
            scheme_name_en=scheme["name_en"],
            scheme_is_active=scheme["is_active"],
            agencies=", ".join(a["name"] for a in scheme["agencies"]),
            agency_org_numbers=", ".join(a["org_number"] for a in scheme["agencies"]),
            themes=", ".join(scheme["themes"]),
            sdgs=", ".join(map(str, scheme["sdgs"])),
            applicant_kinds=", ".join(scheme["applicant_kinds"] or []),
        )
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return _cors(response)
