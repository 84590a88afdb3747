"""Helpers for the Chromium tests."""

LANGUAGE_BUTTON = {"nb": "Norsk (bokmål)", "nn": "Norsk (nynorsk)", "en": "English"}


def choose_language(page, language: str) -> None:
    """Press the language switcher's button, as a person would (works with and without JavaScript)."""
    page.get_by_role("button", name=LANGUAGE_BUTTON[language]).click()
    page.wait_for_load_state()


def log_out(page) -> None:
    """Forget the session, as closing the browser would. First let the page finish every request
    (the admin's /favicon.ico, for one, arrives after "load"), and leave it: each response renews
    the session cookie (SESSION_SAVE_EVERY_REQUEST), so a late one would put the old login back."""
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
    page.context.clear_cookies()


def log_in(page, site_url: str, email: str, password: str, *, device=None, next_url: str = "") -> None:
    """Log in through the login form, as a person would; with ``device`` (a TOTPDevice), also give
    the code its authenticator app would show now on the code step."""
    from urllib.parse import urlencode

    from django.urls import reverse

    page.goto(site_url + reverse("login") + (f"?{urlencode({'next': next_url})}" if next_url else ""))
    assert page.locator("#id_username").count() == 1, f"no login form at {page.url}: still logged in? (log_out first)"
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form.portal-form button[type=submit]").click()
    page.wait_for_load_state()
    if device is not None:
        from tests.otp import totp_code

        assert page.url.startswith(site_url + reverse("login-verify")), page.url
        page.locator("#id_code").fill(totp_code(device))
        page.locator("form.portal-form button[type=submit]").click()
        page.wait_for_load_state()
