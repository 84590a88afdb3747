"""Members, invitations and the invitation link in Chromium: accessible in nb, nn and en; the whole
invitation works without JavaScript."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from organisations.models import Membership
from organisations.services import invitation_create
from tests.accessibility import assert_accessible
from tests.browser import choose_language, log_in
from tests.factories import DEFAULT_PASSWORD, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(message) -> str:
    return re.search(r"https?://\S+/invitasjon/[^/\s]+/", message.body).group(0)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_organisation_page_with_member_management_and_the_invitation_pages_are_accessible(page, site_url, language):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG, organisation__name="Bergen kommune (test)")
    MembershipFactory.create_batch(3, organisation=ansvarlig.organisation)
    invitation_create(organisation=ansvarlig.organisation, invited_by=ansvarlig.user, email="ny@example.no",
                      base_url=site_url)  # fmt: skip
    log_in(page, site_url, ansvarlig.user.email, DEFAULT_PASSWORD)
    if language != "nb":
        choose_language(page, language)
    page.goto(site_url + reverse("organisation-detail", args=[ansvarlig.organisation.org_number]))
    assert_accessible(page, context=f"organisation, ansvarlig ({language})")
    page.locator("#id_email").fill("ikke-en-epost")
    page.locator("#inviter ~ form button[type=submit], section[aria-labelledby=inviter] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_email").input_value() == "ikke-en-epost"
    assert_accessible(page, context=f"organisation, invitation error ({language})")

    link = _link(mail.outbox[0])
    page.locator("header form[action$='/logg-ut/'] button").click()
    page.goto(link)
    assert_accessible(page, context=f"invitation, new account ({language})")
    page.locator("#id_full_name").fill("Ny Kollega")
    page.locator("#id_password1").fill("password123")
    page.locator("#id_password2").fill("password123")
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_full_name").input_value() == "Ny Kollega"
    assert_accessible(page, context=f"invitation, weak password ({language})")


@pytest.mark.allow_console_errors  # a used link answers 410, which Chromium logs
def test_invitation_from_mail_to_membership_without_javascript(page_nojs, page, site_url):
    ansvarlig = MembershipFactory(role=Membership.Role.ANSVARLIG, organisation__name="Bergen kommune (test)")
    log_in(page_nojs, site_url, ansvarlig.user.email, DEFAULT_PASSWORD)
    page_nojs.goto(site_url + reverse("organisation-detail", args=[ansvarlig.organisation.org_number]))
    page_nojs.get_by_label("E-postadressen til kollegaen").fill("ola.ny@bergen.kommune.no")
    page_nojs.get_by_label("Rolle", exact=True).select_option("member")
    page_nojs.get_by_role("button", name="Send invitasjon").click()
    page_nojs.wait_for_load_state()
    assert "Invitasjonen er sendt til ola.ny@bergen.kommune.no" in page_nojs.get_by_role("status").inner_text()
    link = _link(mail.outbox[0])
    page_nojs.get_by_role("button", name="Logg ut").click()

    page_nojs.goto(link)
    page_nojs.get_by_label("Fullt navn").fill("Ola Ny")
    page_nojs.get_by_label("Velg passord").fill("et-godt-passord-2026")
    page_nojs.get_by_label("Gjenta passordet").fill("et-godt-passord-2026")
    page_nojs.get_by_role("button", name="Lag bruker og godta").click()
    page_nojs.wait_for_load_state()
    assert page_nojs.get_by_role("heading", level=1).inner_text() == "Bergen kommune (test)"
    assert User.objects.get(email="ola.ny@bergen.kommune.no").memberships.get().role == Membership.Role.MEMBER

    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Invitasjonen virker ikke"
    assert "allerede brukt" in page.get_by_role("alert").inner_text()
    assert_accessible(page, context="used invitation")
