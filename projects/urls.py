from django.urls import path

from . import views, views_statistics

urlpatterns = [
    path("prosjekter/", views.bank, name="project-bank"),
    path("prosjekter/<int:pk>/", views.project_detail, name="project-detail"),
    path("statistikk/", views_statistics.statistics, name="statistics"),
    path("statistikk/<slug:table>.csv", views_statistics.statistics_csv, name="statistics-csv"),
]
