from django.urls import path

from . import views

urlpatterns = [
    path("saksbehandling/", views.staff_home, name="staff-home"),
    path("saksbehandling/soknader.csv", views.staff_queue_csv, name="staff-queue-csv"),
    path("saksbehandling/soknader/handling/", views.staff_queue_action, name="staff-queue-action"),
    path("saksbehandling/ordninger/<slug:slug>/", views.scheme_overview, name="staff-scheme"),
    path("saksbehandling/utlysninger/<slug:slug>/panel/", views.staff_call_panel, name="staff-call-panel"),
]
