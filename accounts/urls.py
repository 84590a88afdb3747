from django.urls import path

from . import idporten_views, views

urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
    path("min-side/", views.my_page, name="my-page"),
    # ID-porten: always routed, 404 while IDPORTEN_ENABLED is off.
    path("logg-inn/idporten/", idporten_views.IDportenLoginView.as_view(), name="idporten-login"),
    path("logg-inn/idporten/tilbake/", idporten_views.idporten_callback, name="idporten-callback"),
    path("logg-ut/idporten/", idporten_views.idporten_logged_out, name="idporten-logged-out"),
    path("min-side/idporten/koble-til/", idporten_views.IDportenLinkView.as_view(), name="idporten-link"),
    path("min-side/idporten/fjern/", idporten_views.idporten_unlink, name="idporten-unlink"),
]
