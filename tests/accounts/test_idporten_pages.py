"""ID-porten in Chromium, against the local fake provider: accessible, and working without JavaScript."""

import pytest
from django.urls import reverse

from accounts.models import IDportenIdentity
from accounts.services import user_link_idporten
from tests.accessibility import assert_accessible
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_refusal_and_linking_on_min_side_are_accessible(page, site_url, idporten):
    user = UserFactory(email="kari@bergen.kommune.no")
    page.goto(site_url + reverse("login"))
    assert_accessible(page, context="login with ID-porten")

    idporten.claims = {"acr": "idporten-loa-low"}
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    page.wait_for_url(site_url + reverse("login"))
    assert "for lavt sikkerhetsnivå" in page.locator(".portal-message").inner_text()
    assert_accessible(page, context="login after an ID-porten refusal")

    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_url(site_url + reverse("my-page"))
    assert_accessible(page, context="min side, ID-porten not linked")

    idporten.claims = {}
    page.get_by_role("button", name="Koble til ID-porten").click()
    page.wait_for_url(site_url + reverse("my-page"))
    assert "ID-porten er nå koblet til brukeren din" in page.locator(".portal-message").inner_text()
    assert IDportenIdentity.objects.filter(user=user).exists()
    assert_accessible(page, context="min side, ID-porten linked")


def test_idporten_login_and_logout_work_without_javascript(page_nojs, site_url, idporten):
    user_link_idporten(user=UserFactory(full_name="Kari Nordmann"), pid="12345678910")
    page_nojs.goto(site_url + reverse("login"))

    page_nojs.get_by_role("link", name="Logg inn med ID-porten").click()

    page_nojs.wait_for_url(site_url + reverse("my-page"))
    assert "Logget inn som Kari Nordmann" in page_nojs.locator("main").inner_text()
    page_nojs.get_by_role("button", name="Logg ut").click()  # via ID-porten's end_session and back
    page_nojs.wait_for_url(site_url + reverse("idporten-logged-out"))
    assert page_nojs.get_by_role("heading", level=1).inner_text() == "Du er logget ut"
    assert len(idporten.logouts) == 1
    page_nojs.goto(site_url + reverse("my-page"))
    assert page_nojs.url.startswith(site_url + reverse("login"))
