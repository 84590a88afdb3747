from django.urls import path

from .views import check

urlpatterns = [
    path("sjekk/", check.eligibility_check, name="eligibility-check"),
]
