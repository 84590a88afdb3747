"""/api/v1/dcat: a DCAT-AP-NO catalogue of the portal's open data — the calls and the projects
datasets, each with a JSON and a CSV distribution under NLOD 2.0, and the API as a data service
described by /api/v1/openapi.json. Turtle by default; JSON-LD with ``?format=jsonld`` or
``Accept: application/ld+json``. The graph is built once as triples and written in either syntax
here, so the site needs no RDF library (the tests parse both with rdflib)."""

import json
from dataclasses import dataclass

from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from .openapi import NLOD

PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EU = "http://publications.europa.eu/resource/authority/"
TURTLE, JSONLD = "text/turtle", "application/ld+json"


@dataclass(frozen=True)
class Literal:
    value: str
    language: str | None = None


def _iri(term: str) -> str:
    prefix, _, local = term.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else term


def _texts(nb: str, nn: str, en: str) -> list[Literal]:
    return [Literal(nb, "nb"), Literal(nn, "nn"), Literal(en, "en")]


def catalogue(*, base: str) -> dict[str, list[tuple[str, object]]]:
    """The graph as {subject IRI: [(predicate, object)]}; an object is an IRI (str) or a Literal."""
    url = lambda name: base + reverse(name)  # noqa: E731
    me = url("api-dcat")
    publisher = base + "/"
    licence = NLOD
    graph: dict[str, list[tuple[str, object]]] = {}

    def node(subject, kind, *pairs):
        graph[subject] = [(RDF_TYPE, _iri(kind)), *pairs]

    def texts(predicate, nb, nn, en):
        return [(predicate, literal) for literal in _texts(nb, nn, en)]

    datasets = {
        "utlysninger": ("api-calls", "api-calls-csv",
                        ("Utlysninger", "Utlysingar", "Calls for proposals"),
                        ("Utlysninger av midler til innovasjon i offentlig sektor, med frister, beløp og ordning.",
                         "Utlysingar av midlar til innovasjon i offentleg sektor, med fristar, beløp og ordning.",
                         "Calls for funding of public-sector innovation, with deadlines, amounts and scheme."),
                        ("utlysning", "tilskudd", "innovasjon")),
        "prosjekter": ("api-projects", "api-projects-csv",
                       ("Finansierte prosjekter", "Finansierte prosjekt", "Funded projects"),
                       ("Prosjekter som har fått midler, også fra tidligere år: eier, ordning, beløp, sted og mål.",
                        "Prosjekt som har fått midlar, også frå tidlegare år: eigar, ordning, beløp, stad og mål.",
                        "Projects that received funding, earlier years included: owner, scheme, amount, place "
                        "and goals."),
                       ("prosjektbank", "tilskudd", "innovasjon", "offentlig sektor")),
    }  # fmt: skip
    service = f"{me}#api"
    node(me, "dcat:Catalog",
         *texts("dct:title", "Innovasjonsportalen", "Innovasjonsportalen", "The Innovation Portal"),
         *texts("dct:description", "Åpne data fra Innovasjonsportalen.", "Opne data frå Innovasjonsportalen.",
                "Open data from the Innovation Portal."),
         ("dct:publisher", publisher), ("dct:license", licence), ("foaf:homepage", publisher),
         ("dct:language", EU + "language/NOB"),
         *[("dcat:dataset", f"{me}#{key}") for key in datasets], ("dcat:service", service))  # fmt: skip
    node(publisher, "foaf:Agent", ("foaf:name", Literal("Innovasjonsportalen")))
    node(f"{me}#kontakt", "vcard:Organization", ("vcard:fn", Literal("Innovasjonsportalen")),
         ("vcard:hasURL", publisher))  # fmt: skip
    for key, (json_name, csv_name, titles, descriptions, keywords) in datasets.items():
        dataset = f"{me}#{key}"
        node(dataset, "dcat:Dataset",
             ("dct:identifier", Literal(dataset)), *texts("dct:title", *titles),
             *texts("dct:description", *descriptions), ("dct:publisher", publisher),
             ("dcat:contactPoint", f"{me}#kontakt"), ("dct:accessRights", EU + "access-right/PUBLIC"),
             ("dcat:theme", EU + "data-theme/GOVE"), ("dct:license", licence), ("dcat:landingPage", publisher),
             *[("dcat:keyword", Literal(word, "nb")) for word in keywords],
             ("dcat:distribution", f"{dataset}-json"), ("dcat:distribution", f"{dataset}-csv"))  # fmt: skip
        for suffix, name, media, file_type, label in [
            ("json", json_name, "application/json", "JSON", ("JSON-API", "JSON-API", "JSON API")),
            ("csv", csv_name, "text/csv", "CSV", ("CSV-fil", "CSV-fil", "CSV file")),
        ]:
            node(f"{dataset}-{suffix}", "dcat:Distribution", *texts("dct:title", *label),
                 ("dcat:accessURL", url(name)), ("dcat:downloadURL", url(name)),
                 ("dcat:mediaType", f"https://www.iana.org/assignments/media-types/{media}"),
                 ("dct:format", EU + f"file-type/{file_type}"), ("dct:license", licence),
                 *([("dcat:accessService", service)] if suffix == "json" else []))  # fmt: skip
    node(service, "dcat:DataService",
         *texts("dct:title", "Innovasjonsportalens API", "API-et til Innovasjonsportalen", "The portal's API"),
         ("dcat:endpointURL", base + "/api/v1/"), ("dcat:endpointDescription", url("api-openapi")),
         ("dct:conformsTo", "https://spec.openapis.org/oas/v3.1.0"), ("dct:license", licence),
         ("dct:publisher", publisher), *[("dcat:servesDataset", f"{me}#{key}") for key in datasets])  # fmt: skip
    return graph


def _turtle_object(value) -> str:
    if isinstance(value, Literal):
        text = json.dumps(value.value, ensure_ascii=False)
        return f"{text}@{value.language}" if value.language else text
    return _turtle_iri(_iri(value))


def _turtle_iri(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        local = iri.removeprefix(namespace)
        if local != iri and local.replace("_", "").isalnum():
            return f"{prefix}:{local}"
    return f"<{iri}>"


def to_turtle(graph) -> str:
    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES.items()]
    for subject, pairs in graph.items():
        statements = [
            ("a" if predicate == RDF_TYPE else _turtle_iri(_iri(predicate))) + " " + _turtle_object(value)
            for predicate, value in pairs
        ]
        lines.append("\n" + _turtle_iri(subject) + "\n    " + " ;\n    ".join(statements) + " .")
    return "\n".join(lines) + "\n"


def to_jsonld(graph) -> dict:
    nodes = []
    for subject, pairs in graph.items():
        node: dict = {"@id": subject}
        for predicate, value in pairs:
            if predicate == RDF_TYPE:
                node.setdefault("@type", []).append(value)
                continue
            if isinstance(value, Literal):
                item = {"@value": value.value, **({"@language": value.language} if value.language else {})}
            else:
                item = {"@id": _iri(value)}
            node.setdefault(_iri(predicate), []).append(item)
        nodes.append(node)
    return {"@context": PREFIXES, "@graph": nodes}


def _wants_jsonld(request) -> bool:
    chosen = request.GET.get("format")
    if chosen:
        return chosen in ("jsonld", "json-ld")
    accept = request.headers.get("Accept", "")
    return JSONLD in accept and TURTLE not in accept


@require_safe
def dcat(request):
    chosen = request.GET.get("format")
    if chosen and chosen not in ("jsonld", "json-ld", "turtle", "ttl"):
        response = HttpResponse(
            "Ukjent format. Bruk format=turtle eller format=jsonld.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    else:
        graph = catalogue(base=request.build_absolute_uri("/").rstrip("/"))
        if _wants_jsonld(request):
            body = json.dumps(to_jsonld(graph), ensure_ascii=False, indent=2)
            response = HttpResponse(body, content_type=f"{JSONLD}; charset=utf-8")
        else:
            response = HttpResponse(to_turtle(graph), content_type=f"{TURTLE}; charset=utf-8")
    patch_vary_headers(response, ["Accept"])
    response["Access-Control-Allow-Origin"] = "*"
    return response
