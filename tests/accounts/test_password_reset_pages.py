"""Password reset in Chromium: every page accessible in nb, nn and en; the whole flow without JavaScript.

The live server runs in a thread of the test process, so the mail it sends lands in this
process's locmem outbox (django.core.mail.outbox), where the tests read the link.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.accessibility import assert_accessible
from tests.browser import choose_language
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "blåbærsyltetøy-på-vaffel"


def mailed_link() -> str:
    (message,) = mail.outbox
    (url,) = re.findall(r"https?://\S+", message.body)
    return url


def test_reset_without_javascript_from_login_to_logged_in(page_nojs, site_url):
    page = page_nojs
    user = UserFactory(email="kari@bergen.kommune.no", full_name="Kari Nordmann")
    page.goto(site_url + reverse("login"))
    page.get_by_role("link", name="Glemt passordet?").click()
    page.get_by_label("E-post").fill("kari@bergen.kommune.no")
    page.get_by_role("button", name="Send lenke").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sjekk e-posten din"

    url = mailed_link()
    assert url.startswith(site_url + "/glemt-passord/")
    page.goto(url)
    assert page.url.endswith("/nytt-passord/")  # the token has left the address bar
    page.get_by_label("Nytt passord", exact=True).fill("qwertyuiop")
    page.get_by_label("Gjenta det nye passordet").fill("qwertyuiop")
    page.get_by_role("button", name="Lagre nytt passord").click()
    summary = page.get_by_role("alert")
    assert "Dette passordet er for vanlig." in summary.inner_text()
    assert page.get_by_label("Nytt passord", exact=True).input_value() == ""  # nothing secret comes back
    summary.get_by_role("link").click()
    assert page.url.endswith("#id_new_password1")

    page.get_by_label("Nytt passord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Gjenta det nye passordet").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Lagre nytt passord").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Passordet er endret"

    page.get_by_role("main").get_by_role("link", name="Logg inn").click()
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Passord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(site_url + reverse("my-page"))

    # The link is spent: it now explains itself and offers a new one.
    page.goto(url)
    assert page.get_by_role("heading", level=1).inner_text() == "Lenken virker ikke lenger"
    page.get_by_role("link", name="Be om en ny lenke").click()
    assert page.url == site_url + reverse("password-reset")


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_reset_page_is_accessible(page, site_url, language):
    user = UserFactory(email="kari@bergen.kommune.no", language=language)
    submit = "form.portal-form button[type=submit]"
    page.goto(site_url + reverse("password-reset"))
    if language != "nb":
        choose_language(page, language)
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page, context=f"request ({language})")

    page.locator(submit).click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page, context=f"request with an error ({language})")

    page.locator("#id_email").fill(user.email)
    page.locator(submit).click()
    page.wait_for_url(site_url + reverse("password-reset-done"))
    assert_accessible(page, context=f"check your e-mail ({language})")

    page.goto(mailed_link())
    assert_accessible(page, context=f"new password ({language})")
    page.locator("#id_new_password1").fill("1234567890")
    page.locator("#id_new_password2").fill("0987654321")
    page.locator(submit).click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page, context=f"new password with errors ({language})")

    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.locator(submit).click()
    page.wait_for_url(site_url + reverse("password-reset-complete"))
    assert_accessible(page, context=f"password changed ({language})")

    page.goto(mailed_link())
    assert page.locator(f"a[href='{reverse('password-reset')}']").count() == 1
    assert_accessible(page, context=f"link no longer works ({language})")
