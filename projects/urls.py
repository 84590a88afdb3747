from django.urls import path

from . import views

urlpatterns = [
    path("prosjekter/", views.bank, name="project-bank"),
    path("prosjekter/<int:pk>/", views.project_detail, name="project-detail"),
]
