from django.urls import path

from . import views

urlpatterns = [
    path("vedlegg/<uuid:file_id>/", views.file_download, name="file-download"),
]
