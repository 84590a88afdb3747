"""The portal's URLs plus a stand-in for the public eligibility check, for the admin's preview link."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("sjekk/", lambda request: HttpResponse("sjekk"), name="eligibility-check"),
    *portal_urlpatterns,
]
