"""The OpenAPI 3.1 document of the open-data API (/api/v1/openapi.json): /api/v1/projects(.csv) and
/api/v1/calls(.csv). The query parameters are read from the filtersets the views use
(``ProjectFilter``, ``SchemeFilter``), so a new filter is documented as soon as it exists; the
response schemas are written out here and a test checks real responses against them."""

import django_filters
from django.http import JsonResponse
from django.utils import translation
from django.views.decorators.http import require_safe

from schemes.filters import SchemeFilter
from schemes.views.feeds import API_MAX_PAGE_SIZE, API_PAGE_SIZE

from .api import MAX_PAGE_SIZE, PAGE_SIZE
from .filters import ProjectFilter

NLOD = "https://data.norge.no/nlod/no/2.0"


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def _filter_schema(flt) -> dict:
    if isinstance(flt, django_filters.ChoiceFilter):
        choices = flt.extra.get("choices") or []
        return {
            "type": "string",
            "enum": [str(value) for value, _label in (choices() if callable(choices) else choices)],
        }
    if isinstance(flt, django_filters.NumberFilter):
        schema = {"type": "integer"}
        for key, name in (("min_value", "minimum"), ("max_value", "maximum")):
            if flt.extra.get(key) is not None:
                schema[name] = flt.extra[key]
        return schema
    return {"type": "string"}


def _filter_parameters(filterset_class) -> list[dict]:
    parameters = []
    for name, flt in filterset_class.base_filters.items():
        description = str(flt.label or name)
        if isinstance(flt, django_filters.ModelChoiceFilter):
            description += f" ({flt.extra.get('to_field_name') or 'id'})"
        parameters.append({"name": name, "in": "query", "required": False, "description": description,
                           "schema": _filter_schema(flt)})  # fmt: skip
    return parameters


def _page_parameters(default: int, maximum: int) -> list[dict]:
    return [
        {"name": "side", "in": "query", "required": False, "description": "Sidenummer (fra 1).",
         "schema": {"type": "integer", "minimum": 1, "default": 1}},
        {"name": "per_side", "in": "query", "required": False, "description": "Antall per side.",
         "schema": {"type": "integer", "minimum": 1, "maximum": maximum, "default": default}},
    ]  # fmt: skip


def _page(item: str) -> dict:
    return {
        "type": "object",
        "required": ["count", "page", "page_size", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1},
            "next": _nullable("string", format="uri"),
            "previous": _nullable("string", format="uri"),
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
        },
    }


PROJECT = {
    "type": "object",
    "required": ["id", "title", "scheme", "call", "year", "granted_amount", "organisation_number",
                 "kommunenummer", "sdgs", "status", "url"],
    "properties": {
        "id": {"type": "integer", "description": "Stabil id; også i adressen til prosjektsiden."},
        "title": {"type": "string"},
        "summary": _nullable("string", description="Null når sammendraget ikke er offentlig."),
        "scheme": {"type": "string", "description": "Ordningens kortnavn (slug)."},
        "call": _nullable("string"),
        "year": {"type": "integer"},
        "granted_amount": _nullable("integer", description="Innvilget beløp i kroner."),
        "organisation_number": {"type": "string", "pattern": "^[0-9]{9}$"},
        "organisation_name": {"type": "string"},
        "kommunenummer": _nullable("string", pattern="^[0-9]{4}$", description="Null når stedet ikke er offentlig."),
        "fylkesnummer": _nullable("string", pattern="^[0-9]{2}$"),
        "sdgs": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 17}},
        "status": {"type": "string", "enum": ["pagar", "avsluttet", "ikke-finansiert"]},
        "url": {"type": "string", "format": "uri"},
    },
}  # fmt: skip

CALL = {
    "type": "object",
    "required": ["id", "slug", "title", "status", "opens_at", "closes_at", "scheme", "portal_url"],
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "title": {"type": "string"}, "title_nn": {"type": "string"}, "title_en": {"type": "string"},
        "status": {"type": "string"},
        "opens_at": {"type": "string", "format": "date-time"},
        "closes_at": {"type": "string", "format": "date-time"},
        "budget": _nullable("integer"), "min_amount": _nullable("integer"), "max_amount": _nullable("integer"),
        "own_funding_min_percent": _nullable("string"),
        "max_duration_months": _nullable("integer"),
        "call_url": {"type": "string"},
        "portal_url": {"type": "string", "format": "uri"},
        "scheme": {
            "type": "object",
            "required": ["slug", "name"],
            "properties": {
                "slug": {"type": "string"}, "name": {"type": "string"}, "name_nn": {"type": "string"},
                "name_en": {"type": "string"}, "is_active": {"type": "boolean"},
                "agencies": {"type": "array", "items": {"type": "object", "properties": {
                    "name": {"type": "string"}, "org_number": {"type": "string"}}}},
                "themes": {"type": "array", "items": {"type": "string"}},
                "sdgs": {"type": "array", "items": {"type": "integer"}},
                "applicant_kinds": _nullable("array", items={"type": "string"}),
            },
        },
    },
}  # fmt: skip

ERROR = {
    "type": "object",
    "required": ["error", "fields"],
    "properties": {
        "error": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}


def _json_get(summary: str, parameters: list[dict], schema: str) -> dict:
    return {"get": {
        "summary": summary, "parameters": parameters,
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": schema}}}},
            "400": {"description": "Ugyldig filter",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    }}  # fmt: skip


def _csv_get(summary: str, parameters: list[dict]) -> dict:
    return {"get": {
        "summary": summary, "parameters": parameters,
        "responses": {
            "200": {"description": "Semikolonseparert UTF-8 med BOM, én rad per treff",
                    "content": {"text/csv": {"schema": {"type": "string"}}}},
            "400": {"description": "Ugyldig filter",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    }}  # fmt: skip


def openapi_document(*, server: str) -> dict:
    with translation.override("nb"):
        projects, calls = _filter_parameters(ProjectFilter), _filter_parameters(SchemeFilter)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Innovasjonsportalen – åpne data",
            "version": "1",
            "description": "Utlysninger og finansierte prosjekter. Åpne data under NLOD 2.0; CORS er åpen.",
            "license": {"name": "Norsk lisens for offentlige data (NLOD) 2.0", "url": NLOD},
        },
        "servers": [{"url": server}],
        "paths": {
            "/api/v1/projects": _json_get(
                "Finansierte prosjekter, side for side",
                projects + _page_parameters(PAGE_SIZE, MAX_PAGE_SIZE),
                "#/components/schemas/ProjectPage",
            ),
            "/api/v1/projects.csv": _csv_get("Alle finansierte prosjekter som treffer filtrene, som CSV", projects),
            "/api/v1/calls": _json_get(
                "Utlysninger, side for side",
                calls + _page_parameters(API_PAGE_SIZE, API_MAX_PAGE_SIZE),
                "#/components/schemas/CallPage",
            ),
            "/api/v1/calls.csv": _csv_get("Alle utlysninger som treffer filtrene, som CSV", calls),
        },
        "components": {
            "schemas": {
                "Project": PROJECT,
                "ProjectPage": _page("Project"),
                "Call": CALL,
                "CallPage": _page("Call"),
                "Error": ERROR,
            },
        },
    }


@require_safe
def openapi_json(request):
    document = openapi_document(server=request.build_absolute_uri("/").rstrip("/"))
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response
