"""/api/v1/openapi.json and /api/v1/dcat: the OpenAPI document validates (openapi-spec-validator),
documents every filter the views take and describes real responses (jsonschema); the DCAT-AP-NO
catalogue parses as Turtle and as JSON-LD (rdflib) into the same graph, with both datasets, their
distributions and the NLOD 2.0 licence."""

import json

import jsonschema
import pytest
from django.urls import reverse
from openapi_spec_validator import validate
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from projects.filters import ProjectFilter
from schemes.filters import SchemeFilter
from tests.factories import call_with_form
from tests.projects.helpers import make_project

pytestmark = pytest.mark.django_db

NLOD = URIRef("https://data.norge.no/nlod/no/2.0")
BASE = "http://testserver"


def _document(client) -> dict:
    response = client.get(reverse("api-openapi"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_the_openapi_document_validates_and_documents_every_filter(client):
    document = _document(client)
    validate(document)
    assert document["servers"] == [{"url": BASE}]
    assert set(document["paths"]) == {"/api/v1/projects", "/api/v1/projects.csv", "/api/v1/calls", "/api/v1/calls.csv"}
    for path, filterset in [("/api/v1/projects", ProjectFilter), ("/api/v1/calls", SchemeFilter)]:
        names = {p["name"] for p in document["paths"][path]["get"]["parameters"]}
        assert names == {*filterset.base_filters, "side", "per_side"}
        csv_names = {p["name"] for p in document["paths"][path + ".csv"]["get"]["parameters"]}
        assert csv_names == set(filterset.base_filters)
    status = next(p for p in document["paths"]["/api/v1/projects"]["get"]["parameters"] if p["name"] == "status")
    assert status["schema"]["enum"] == ["pagar", "avsluttet"]


def _validator(document, name):
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_real_responses_match_the_documented_schemas(client):
    document = _document(client)
    make_project(title="Velferdsteknologi", year=2023)
    make_project(title="Skjult sted", public_place=False, public_summary=False, amount_granted=None)
    call_with_form()
    projects = client.get(reverse("api-projects")).json()
    assert projects["count"] == 2
    _validator(document, "ProjectPage").validate(projects)
    calls = client.get(reverse("api-calls")).json()
    assert calls["count"] >= 1
    _validator(document, "CallPage").validate(calls)
    error = client.get(reverse("api-projects"), {"side": "x"})
    assert error.status_code == 400
    _validator(document, "Error").validate(error.json())


def _graph(text: str, syntax: str) -> Graph:
    graph = Graph()
    graph.parse(data=text, format=syntax, publicID=BASE + "/")
    return graph


def test_the_catalogue_parses_as_turtle_with_both_datasets_and_the_nlod_licence(client):
    response = client.get(reverse("api-dcat"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/turtle")
    graph = _graph(response.content.decode(), "turtle")
    catalogue = URIRef(BASE + reverse("api-dcat"))
    assert (catalogue, RDF.type, DCAT.Catalog) in graph
    datasets = set(graph.objects(catalogue, DCAT.dataset))
    assert datasets == {URIRef(f"{catalogue}#utlysninger"), URIRef(f"{catalogue}#prosjekter")}
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        assert (dataset, DCTERMS.license, NLOD) in graph
        assert {t.language for t in graph.objects(dataset, DCTERMS.title)} == {"nb", "nn", "en"}
        assert (dataset, DCTERMS.publisher, None) in graph and (dataset, DCAT.contactPoint, None) in graph
        distributions = set(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 2
        media = set()
        for distribution in distributions:
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert (distribution, DCTERMS.license, NLOD) in graph
            media |= {str(m).rsplit("/", 2)[-2:][1] for m in graph.objects(distribution, DCAT.mediaType)}
            url = str(graph.value(distribution, DCAT.accessURL))
            assert client.get(url.removeprefix(BASE)).status_code == 200
        assert media == {"json", "csv"}
    projects = URIRef(f"{catalogue}#prosjekter-json")
    assert graph.value(projects, DCAT.accessURL) == URIRef(BASE + reverse("api-projects"))
    service = graph.value(catalogue, DCAT.service)
    assert graph.value(service, DCAT.endpointDescription) == URIRef(BASE + reverse("api-openapi"))
    assert (None, DCAT.keyword, Literal("prosjektbank", lang="nb")) in graph


def test_json_ld_by_parameter_or_accept_is_the_same_graph(client):
    turtle = _graph(client.get(reverse("api-dcat")).content.decode(), "turtle")
    by_parameter = client.get(reverse("api-dcat"), {"format": "jsonld"})
    assert by_parameter["Content-Type"].startswith("application/ld+json")
    json.loads(by_parameter.content)
    assert isomorphic(_graph(by_parameter.content.decode(), "json-ld"), turtle)
    by_accept = client.get(reverse("api-dcat"), headers={"accept": "application/ld+json"})
    assert by_accept["Content-Type"].startswith("application/ld+json")
    assert "Accept" in [part.strip() for part in by_accept["Vary"].split(",")]
    assert client.get(reverse("api-dcat"), headers={"accept": "text/turtle"})["Content-Type"].startswith("text/turtle")
    bad = client.get(reverse("api-dcat"), {"format": "xml"})
    assert bad.status_code == 400 and "format=jsonld" in bad.content.decode()
