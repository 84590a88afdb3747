"""Two-factor pages in Chromium: accessible in nb, nn and en, and the whole staff login with the
code works without JavaScript. The live server runs in a thread of the test process, so the code
it mails lands in this process's locmem outbox (django.core.mail.outbox)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accessibility import assert_accessible
from tests.browser import choose_language, log_in
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, SchemeFactory, StaffRoleFactory
from tests.otp import mailed_enrolment_code, totp_code, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_out_the_throttle(user) -> None:
    """After a wrong code django-otp makes the next try wait a second: move the failure back in
    time rather than sleeping through it."""
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=timezone.now() - timedelta(seconds=60))


def a_wrong_code(user) -> str:
    return "000000" if totp_code(TOTPDevice.objects.get(user=user)) != "000000" else "111111"


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_setup_backup_codes_status_and_verify_pages_are_accessible(page, site_url, language):
    user = MembershipFactory(user__email="kari@bergen.kommune.no").user
    log_in(page, site_url, user.email, DEFAULT_PASSWORD)
    if language != "nb":
        choose_language(page, language)
    page.goto(site_url + reverse("two-factor"))
    qr = page.locator("img.portal-qr")
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert page.evaluate("(img) => img.naturalWidth > 0", qr.element_handle())  # the CSP let it load
    assert_accessible(page, context=f"two-factor setup ({language})")

    # A wrong code is explained, then the right one turns it on and shows the backup codes.
    page.locator("#id_code").fill(a_wrong_code(user))
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page, context=f"two-factor setup with an error ({language})")
    wait_out_the_throttle(user)
    page.locator("#id_code").fill(totp_code(TOTPDevice.objects.get(user=user)))
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("ul.portal-codes li").count() == 10
    assert_accessible(page, context=f"backup codes ({language})")

    page.goto(site_url + reverse("two-factor"))
    assert_accessible(page, context=f"two-factor status ({language})")

    # Log out and in again: the code step.
    page.locator(".portal-header__account button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(site_url + reverse("login"))
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(site_url + reverse("login-verify"))))
    assert_accessible(page, context=f"code step ({language})")


def test_the_staff_setup_page_with_the_mailed_code_is_accessible(page, site_url):
    officer = StaffRoleFactory().user
    log_in(page, site_url, officer.email, DEFAULT_PASSWORD)
    page.goto(site_url + reverse("two-factor"))
    assert page.locator("#id_email_code").count() == 1
    assert_accessible(page, context="staff two-factor setup, before the mail (nb)")
    page.get_by_role("button", name="Send kode på e-post").click()
    page.wait_for_load_state()
    assert "Vi har sendt en kode til e-postadressen din" in page.locator("main").inner_text()
    assert_accessible(page, context="staff two-factor setup, mail sent (nb)")
    # A wrong mailed code: both the summary and the field say so.
    code = mailed_enrolment_code()
    page.locator("#id_code").fill(totp_code(TOTPDevice.objects.get(user=officer)))
    page.locator("#id_email_code").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Slå på").click()
    page.wait_for_load_state()
    assert "Koden fra e-posten stemmer ikke" in page.get_by_role("alert").inner_text()
    assert_accessible(page, context="staff two-factor setup, wrong mailed code (nb)")
    assert not TOTPDevice.objects.get(user=officer).confirmed


def test_the_whole_staff_login_with_two_factor_works_without_javascript(page_nojs, site_url):
    scheme = SchemeFactory(name="Innovasjonsprosjekt i offentlig sektor")
    officer = StaffRoleFactory(agency=scheme.agencies.get(), schemes=[scheme]).user
    page = page_nojs

    # First time: password, then sent to set up two-factor with the message.
    page.goto(site_url + reverse("staff-home"))
    page.get_by_label("E-post").fill(officer.email)
    page.get_by_label("Passord").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(re.escape(site_url + reverse("two-factor")) + r"\?next="))
    assert "må du bruke tofaktorautentisering. Sett det opp nå." in page.locator("main").inner_text()
    secret = page.locator("#totp-hemmelighet").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)
    device = TOTPDevice.objects.get(user=officer)
    # The password alone is not enough: the code from the app needs the one from the mailbox too.
    page.get_by_label("Kode fra appen").fill(totp_code(device))
    page.get_by_role("button", name="Slå på").click()
    assert "Skriv inn den sekssifrede koden vi sendte deg på e-post." in page.get_by_role("alert").inner_text()
    assert not TOTPDevice.objects.get(user=officer).confirmed
    page.get_by_role("button", name="Send kode på e-post").click()
    page.wait_for_url(re.compile(re.escape(site_url + reverse("two-factor")) + r"\?next="))
    assert "Vi har sendt en kode til e-postadressen din" in page.locator("main").inner_text()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [officer.email]
    page.get_by_label("Kode fra appen").fill(totp_code(device))
    page.get_by_label("Kode fra e-posten").fill(mailed_enrolment_code())
    page.get_by_role("button", name="Slå på").click()
    assert page.locator("ul.portal-codes li").count() == 10
    page.get_by_role("link", name="Jeg har lagret kodene – gå videre").click()
    page.wait_for_url(site_url + reverse("staff-home"))
    assert page.get_by_role("heading", level=1).inner_text() == "Saksbehandling"
    page.get_by_role("button", name="Logg ut").click()

    # Next time: password, then the code step, then the page asked for.
    page.goto(site_url + reverse("staff-scheme", args=[scheme.slug]))
    page.get_by_label("E-post").fill(officer.email)
    page.get_by_label("Passord").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(re.escape(site_url + reverse("login-verify")) + r"\?next="))
    page.get_by_label("Engangskode").fill(a_wrong_code(officer))
    page.get_by_role("button", name="Bekreft").click()
    assert "Koden stemmer ikke" in page.get_by_role("alert").inner_text()
    wait_out_the_throttle(officer)
    page.get_by_label("Engangskode").fill(totp_code(device))
    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_url(site_url + reverse("staff-scheme", args=[scheme.slug]))
    assert page.get_by_role("heading", level=1).inner_text() == scheme.name


def test_log_in_helper_passes_the_code_step(page, site_url):
    officer = StaffRoleFactory().user
    log_in(page, site_url, officer.email, DEFAULT_PASSWORD, device=totp_device(officer), next_url="/saksbehandling/")
    assert page.url == site_url + reverse("staff-home")
