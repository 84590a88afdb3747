from django.urls import path

from . import views

urlpatterns = [
    path("organisasjoner/<str:org_number>/", views.organisation_detail, name="organisation-detail"),
]
