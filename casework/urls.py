from django.urls import path

from . import views

urlpatterns = [
    path("saksbehandling/", views.staff_home, name="staff-home"),
    path("saksbehandling/ordninger/<slug:slug>/", views.scheme_overview, name="staff-scheme"),
]
