"""The admin: staff only, and it works under our CSP in a real browser."""

import re

import pytest
from django.urls import reverse

from tests.accessibility import assert_accessible
from tests.factories import DEFAULT_PASSWORD, StaffFactory, SuperuserFactory, UserFactory
from tests.otp import force_login_verified, totp_code, totp_device


@pytest.mark.django_db
def test_admin_is_denied_to_anonymous_and_to_applicants_and_open_to_staff(client):
    url = reverse("admin:index")
    assert client.get(url).status_code == 302  # to the admin login

    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    force_login_verified(client, StaffFactory())
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_admin_changelist_of_users_has_a_pinned_query_count(client, django_assert_max_num_queries):
    force_login_verified(client, SuperuserFactory())
    UserFactory.create_batch(60)
    with django_assert_max_num_queries(9):  # +1 since two-factor: the session's verified device
        response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_login_goes_through_the_portal_login_and_the_code_in_chromium_under_the_csp(page, site_url):
    admin = SuperuserFactory(email="admin@example.no")
    device = totp_device(admin)
    page.goto(site_url + reverse("admin:index"))
    # The admin's own login page only forwards to the portal's, which asks for the code as well.
    page.wait_for_url(re.compile(re.escape(f"{site_url}{reverse('login')}?next=") + "(/|%2F)admin(/|%2F)$"))
    assert_accessible(page, context="admin login")
    page.get_by_label("E-post").fill(admin.email)
    page.get_by_label("Passord").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(re.escape(f"{site_url}{reverse('login-verify')}?next=") + "(/|%2F)admin(/|%2F)$"))
    page.get_by_label("Engangskode").fill(totp_code(device))
    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_url(site_url + reverse("admin:index"))
    assert page.get_by_role("heading", level=1).inner_text() == "Administrasjon"
