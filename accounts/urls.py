from django.urls import path

from . import two_factor_views, views

urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-inn/tofaktor/", two_factor_views.login_verify, name="login-verify"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
    path("min-side/", views.my_page, name="my-page"),
    path("min-side/tofaktor/", two_factor_views.two_factor, name="two-factor"),
    path("min-side/tofaktor/sla-av/", two_factor_views.two_factor_turn_off, name="two-factor-turn-off"),
    path("min-side/tofaktor/reservekoder/", two_factor_views.two_factor_backup_codes, name="two-factor-backup-codes"),
]
