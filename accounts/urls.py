from django.urls import path

from . import views

urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
    path("min-side/", views.my_page, name="my-page"),
]
