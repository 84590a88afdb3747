from django.urls import path

from . import views

urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
    path("min-side/", views.my_page, name="my-page"),
    path("min-side/innstillinger/", views.my_settings, name="my-settings"),
    path("glemt-passord/", views.PasswordResetView.as_view(), name="password-reset"),
    path("glemt-passord/sendt/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("glemt-passord/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("glemt-passord/ferdig/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
]
