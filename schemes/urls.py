from django.urls import path

from .views import catalogue, check, feeds

urlpatterns = [
    path("sjekk/", check.eligibility_check, name="eligibility-check"),
    path("ordninger/", catalogue.catalogue, name="scheme-catalogue"),
    path("ordninger/<slug:slug>/", catalogue.scheme_detail, name="scheme-detail"),
    path("kalender.ics", feeds.calendar, name="calls-calendar"),
    path("api/v1/calls", feeds.calls_json, name="api-calls"),
    path("api/v1/calls.csv", feeds.calls_csv, name="api-calls-csv"),
]
