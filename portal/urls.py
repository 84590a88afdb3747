from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("tilgjengelighetserklaering/", views.accessibility_statement, name="accessibility-statement"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.healthz_live, name="healthz-live"),
    path("healthz/ready", views.healthz_ready, name="healthz-ready"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sprak/", views.set_language, name="set-language"),
    path("", include("accounts.urls")),
    path("", include("organisations.urls")),
    path("", include("casework.urls")),
    path("", include("scheduling.urls")),
    path("", include("schemes.urls")),
    path("", include("attachments.urls")),
    path("", include("applications.urls")),
    path("", include("review.urls")),
    path("", include("projects.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "portal.views.server_error"
