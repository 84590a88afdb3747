from django.urls import path

from . import idporten_views, two_factor_views, views

urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-inn/tofaktor/", two_factor_views.login_verify, name="login-verify"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
    path("min-side/", views.my_page, name="my-page"),
    path("min-side/innstillinger/", views.my_settings, name="my-settings"),
    path("glemt-passord/", views.PasswordResetView.as_view(), name="password-reset"),
    path("glemt-passord/sendt/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("glemt-passord/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("glemt-passord/ferdig/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    # ID-porten: always routed, 404 while IDPORTEN_ENABLED is off.
    path("logg-inn/idporten/", idporten_views.IDportenLoginView.as_view(), name="idporten-login"),
    path("logg-inn/idporten/tilbake/", idporten_views.idporten_callback, name="idporten-callback"),
    path("logg-ut/idporten/", idporten_views.idporten_logged_out, name="idporten-logged-out"),
    path("min-side/idporten/koble-til/", idporten_views.IDportenLinkView.as_view(), name="idporten-link"),
    path("min-side/idporten/fjern/", idporten_views.idporten_unlink, name="idporten-unlink"),
    path("min-side/tofaktor/", two_factor_views.two_factor, name="two-factor"),
    path("min-side/tofaktor/sla-av/", two_factor_views.two_factor_turn_off, name="two-factor-turn-off"),
    path("min-side/tofaktor/reservekoder/", two_factor_views.two_factor_backup_codes, name="two-factor-backup-codes"),
]
