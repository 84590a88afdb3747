from django.urls import path

from . import api, dcat, openapi, views, views_kpi, views_similar, views_statistics

KPIS = "statistikk/innovative-anskaffelser/"

urlpatterns = [
    path("prosjekter/", views.bank, name="project-bank"),
    path("prosjekter/<int:pk>/", views.project_detail, name="project-detail"),
    path("soknader/<int:pk>/lignende-prosjekter/", views_similar.application_similar, name="application-similar"),
    path("saksbehandling/prosjekter/<int:pk>/sladding/", views.project_redaction, name="project-redaction"),
    path("api/v1/projects", api.projects_json, name="api-projects"),
    path("api/v1/projects.csv", api.projects_csv, name="api-projects-csv"),
    path("api/v1/openapi.json", openapi.openapi_json, name="api-openapi"),
    path("api/v1/dcat", dcat.dcat, name="api-dcat"),
    path("statistikk/", views_statistics.statistics, name="statistics"),
    path(KPIS, views_kpi.procurement_kpis, name="procurement-kpis"),
    path(KPIS + "<slug:table>.csv", views_kpi.procurement_kpis_csv, name="procurement-kpis-csv"),
    path("statistikk/<slug:table>.csv", views_statistics.statistics_csv, name="statistics-csv"),
]
