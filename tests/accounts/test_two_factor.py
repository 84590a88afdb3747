"""Two-factor authentication: setting it up, the code step at login, backup codes, throttling,
turning it off, and what staff without it meet. Codes come from django-otp's own TOTP arithmetic
at a time fixed with time-machine."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import PENDING_SESSION_KEY
from accounts.services import totp_device_start, totp_secret_base32
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, SchemeFactory, StaffRoleFactory, UserFactory
from tests.otp import force_login_verified, mailed_enrolment_code, totp_code, totp_device, wrong_code

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 24, 11, 0, 5, tzinfo=UTC)
STAFF_SETUP_MESSAGE = (
    "Som saksbehandler, fagekspert eller administrator må du bruke tofaktorautentisering. Sett det opp nå."
)


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def log_in(client, user, next_url=None):
    data = {"username": user.email, "password": DEFAULT_PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def backup_codes_in(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)


def send_email_code(client, next_url=None) -> str:
    """Press "Send kode på e-post" on the setup page; the code from the mail it sent."""
    mail.outbox.clear()
    data = {"action": "send-email-code", **({"next": next_url} if next_url else {})}
    response = client.post(reverse("two-factor"), data)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return mailed_enrolment_code()


# --- Setting it up ------------------------------------------------------------------------------
def test_setup_shows_a_qr_code_and_the_secret_as_text_and_keeps_the_same_secret_on_reload(
    client, frozen, django_assert_max_num_queries
):
    user = MembershipFactory().user
    client.force_login(user)
    response = client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert 'src="data:image/svg+xml;base64,' in response.text
    secret = totp_secret_base32(device)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)
    assert secret in response.text
    assert "style=" not in response.text  # nothing the CSP would block
    # session, user, status, the device being set up (with its user for the QR code's label),
    # staff menu, + 3 for the idle-expiry session save (savepoint, update, release)
    with django_assert_max_num_queries(8):
        again = client.get(reverse("two-factor"))
    assert secret in again.text
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_setup_refuses_a_wrong_code_keeps_the_device_unconfirmed_and_makes_no_backup_codes(client, frozen):
    user = MembershipFactory().user
    client.force_login(user)
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=user)
    code = wrong_code(device)
    response = client.post(reverse("two-factor"), {"code": code})
    assert response.status_code == 200
    assert "Koden stemmer ikke" in response.text
    assert f'value="{code}"' not in response.text  # a code typed is never echoed back
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=user).exists()
    assert DEVICE_ID_SESSION_KEY not in client.session

    response = client.post(reverse("two-factor"), {"code": "12ab"})
    assert "Koden er seks siffer" in response.text


def test_setup_confirms_with_the_right_code_verifies_the_session_and_shows_ten_backup_codes_once(client, frozen):
    user = MembershipFactory().user
    client.force_login(user)
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("two-factor"), {"code": totp_code(device)})
    assert response.status_code == 200
    assert "Tofaktorautentisering er slått på." in response.text
    codes = backup_codes_in(response.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # Afterwards the page shows the status, not the codes again.
    page = client.get(reverse("two-factor"))
    assert "Tofaktorautentisering er på" in page.text
    assert not set(codes) & set(backup_codes_in(page.text))


def test_the_status_page_has_a_pinned_query_count(client, django_assert_max_num_queries):
    user = MembershipFactory().user
    force_login_verified(client, user)
    StaticToken.objects.bulk_create(
        StaticToken(device=StaticDevice.objects.create(user=user, name="Reservekoder"), token=f"kode{i:04d}")
        for i in range(10)
    )
    # session, user, the verified device, status (device + backup codes left), staff roles (read
    # once for may-turn-off and the menu), + 3 for the idle-expiry session save
    with django_assert_max_num_queries(9):
        response = client.get(reverse("two-factor"))
    assert "Reservekoder igjen" in response.text
    assert "<dd>10</dd>" in response.text


# --- The code step at login ----------------------------------------------------------------------
def test_login_with_a_device_asks_for_the_code_and_nothing_else_opens_until_it_is_given(
    client, frozen, django_assert_max_num_queries
):
    user = MembershipFactory().user
    device = totp_device(user)
    response = log_in(client, user, next_url="/min-side/tofaktor/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login-verify')}?next=%2Fmin-side%2Ftofaktor%2F"
    assert client.session[PENDING_SESSION_KEY] is True
    assert DEVICE_ID_SESSION_KEY not in client.session
    # Typing another address does not skip the code.
    skipped = client.get(reverse("my-page"))
    assert skipped.status_code == 302
    assert skipped["Location"].startswith(reverse("login-verify"))
    # session, user, is there a confirmed device, staff menu, + 3 for the idle-expiry session save
    with django_assert_max_num_queries(7):
        page = client.get(response["Location"])
    assert "Bekreft innloggingen" in page.text

    assert "Koden stemmer ikke" in client.post(reverse("login-verify"), {"code": wrong_code(device)}).text
    frozen.shift(timedelta(seconds=2))  # the wait after one wrong code
    response = client.post(reverse("login-verify"), {"code": totp_code(device), "next": "/min-side/tofaktor/"})
    assert response.status_code == 302
    assert response["Location"] == "/min-side/tofaktor/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_SESSION_KEY not in client.session
    assert client.get(reverse("my-page")).status_code == 200


def test_a_login_without_two_factor_goes_straight_in(client):
    user = MembershipFactory().user
    response = log_in(client, user)
    assert response["Location"] == reverse("my-page")
    assert PENDING_SESSION_KEY not in client.session


def test_next_is_kept_through_the_code_step_and_an_offsite_next_is_refused(client, frozen):
    user = MembershipFactory().user
    device = totp_device(user)
    response = log_in(client, user, next_url="https://evil.example/")
    assert response["Location"] == f"{reverse('login-verify')}?next=%2Fmin-side%2F"
    response = client.post(reverse("login-verify"), {"code": totp_code(device), "next": "//evil.example/x"})
    assert response["Location"] == reverse("my-page")


def test_a_code_works_once(client, frozen):
    user = MembershipFactory().user
    device = totp_device(user)
    code = totp_code(device)
    log_in(client, user)
    assert client.post(reverse("login-verify"), {"code": code})["Location"] == reverse("my-page")
    client.logout()
    log_in(client, user)
    response = client.post(reverse("login-verify"), {"code": code})
    assert response.status_code == 200
    assert "Koden stemmer ikke" in response.text


def test_a_backup_code_works_once_instead_of_the_app(client, frozen):
    user = MembershipFactory().user
    totp_device(user)
    static = StaticDevice.objects.create(user=user, name="Reservekoder")
    StaticToken.objects.create(device=static, token="abcd2345")
    StaticToken.objects.create(device=static, token="efgh6723")

    log_in(client, user)
    response = client.post(reverse("login-verify"), {"code": "ABCD 2345"})
    assert response["Location"] == reverse("my-page")
    assert client.session[DEVICE_ID_SESSION_KEY] == static.persistent_id
    assert list(static.token_set.values_list("token", flat=True)) == ["efgh6723"]

    client.logout()
    log_in(client, user)
    response = client.post(reverse("login-verify"), {"code": "abcd2345"})
    assert response.status_code == 200
    assert "Koden stemmer ikke" in response.text
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_wrong_codes_are_throttled_even_the_right_code_waits_and_the_wait_grows(client, frozen):
    user = MembershipFactory().user
    device = totp_device(user)
    log_in(client, user)
    for attempt in range(4):  # each after the previous wait: 1, 2, 4 seconds
        if attempt:
            frozen.shift(timedelta(seconds=2 ** (attempt - 1)))
        response = client.post(reverse("login-verify"), {"code": wrong_code(device)})
        assert "Koden stemmer ikke" in response.text
    device.refresh_from_db()
    assert device.throttling_failure_count == 4  # the 4th wrong code: the next try waits 8 s

    response = client.post(reverse("login-verify"), {"code": totp_code(device)})
    assert response.status_code == 200
    assert "for mange ganger på rad" in response.text
    assert "Vent 8 sekunder" in response.text
    assert DEVICE_ID_SESSION_KEY not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 4  # a try while waiting is not even checked

    frozen.shift(timedelta(seconds=8))
    response = client.post(reverse("login-verify"), {"code": totp_code(device)})
    assert response["Location"] == reverse("my-page")
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


# --- Staff ---------------------------------------------------------------------------------------
def test_staff_without_a_device_are_sent_to_set_it_up_with_a_message_and_see_nothing_of_the_staff_page(client, frozen):
    scheme = SchemeFactory(name="Hemmelig ordning")
    officer = StaffRoleFactory(agency=scheme.agencies.get(), schemes=[scheme]).user
    response = log_in(client, officer, next_url=reverse("staff-scheme", args=[scheme.slug]))
    assert response["Location"] == f"{reverse('two-factor')}?next=%2Fsaksbehandling%2Fordninger%2F{scheme.slug}%2F"
    page = client.get(response["Location"])
    assert STAFF_SETUP_MESSAGE in page.text
    assert "Slå på tofaktorautentisering" in page.text

    response = client.get(reverse("staff-scheme", args=[scheme.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor"))
    assert "Hemmelig ordning" not in client.get(response["Location"]).text

    # Set up (with the code mailed to them), the same staff page opens.
    device = TOTPDevice.objects.get(user=officer)
    email_code = send_email_code(client)
    done = client.post(
        reverse("two-factor"),
        {"code": totp_code(device), "email_code": email_code, "next": reverse("staff-scheme", args=[scheme.slug])},
    )
    assert f'href="{reverse("staff-scheme", args=[scheme.slug])}"' in done.text
    assert client.get(reverse("staff-scheme", args=[scheme.slug])).status_code == 200


def test_staff_with_a_device_are_asked_for_the_code_and_then_get_in(client, frozen):
    officer = StaffRoleFactory(schemes=[]).user
    device = totp_device(officer)
    response = log_in(client, officer, next_url=reverse("staff-home"))
    assert response["Location"] == f"{reverse('login-verify')}?next=%2Fsaksbehandling%2F"
    response = client.post(reverse("login-verify"), {"code": totp_code(device), "next": reverse("staff-home")})
    assert response["Location"] == reverse("staff-home")
    assert client.get(reverse("staff-home")).status_code == 200


# --- Staff setting up their first device: the mailed code ---------------------------------------
# The password alone must not be enough to enrol an app: whoever has only the password (not the
# mailbox) cannot confirm a device.
def setup_page_as_staff(client, staff=None):
    staff = staff or StaffRoleFactory().user
    log_in(client, staff, next_url=reverse("staff-home"))
    client.get(reverse("two-factor"))
    return staff, TOTPDevice.objects.get(user=staff, confirmed=False)


def assert_not_enrolled(client, user, device):
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=user).exists()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get(reverse("staff-home"))["Location"].startswith(reverse("two-factor"))


@pytest.mark.parametrize("make_staff", [StaffRoleFactory, "superuser"], ids=["officer", "superuser"])
def test_the_password_alone_cannot_enrol_a_device_for_staff(client, frozen, make_staff):
    from tests.factories import SuperuserFactory

    staff = SuperuserFactory() if make_staff == "superuser" else make_staff().user
    staff, device = setup_page_as_staff(client, staff)
    page = client.get(reverse("two-factor"))
    assert "Kode på e-post" in page.text and 'name="email_code"' in page.text
    assert 'value="send-email-code"' in page.text

    # The right app code, no mailed code: refused by the form (nothing reaches the service).
    response = client.post(reverse("two-factor"), {"code": totp_code(device)})
    assert "Skriv inn den sekssifrede koden vi sendte deg på e-post." in response.text
    assert_not_enrolled(client, staff, device)

    # A guessed mailed code before any was sent: refused, the app's code left untried.
    response = client.post(reverse("two-factor"), {"code": totp_code(device), "email_code": "123456"})
    assert "Vi har ikke sendt deg noen kode ennå." in response.text
    assert_not_enrolled(client, staff, device)

    # A code was mailed (to the owner), the attacker guesses: refused and throttled like the app's.
    email_code = send_email_code(client)
    guess = "000000" if email_code != "000000" else "111111"
    response = client.post(reverse("two-factor"), {"code": totp_code(device), "email_code": guess})
    assert "Koden fra e-posten stemmer ikke" in response.text
    assert_not_enrolled(client, staff, device)
    assert EmailDevice.objects.get(user=staff).throttling_failure_count == 1
    device.refresh_from_db()
    assert device.throttling_failure_count == 0 and device.last_t == -1  # the app's code was not tried
    # Even the right mailed code waits out the throttle.
    response = client.post(reverse("two-factor"), {"code": totp_code(device), "email_code": email_code})
    assert "for mange ganger på rad" in response.text
    assert_not_enrolled(client, staff, device)

    # With the mailed code (the owner, who reads the mailbox), after the wait: enrolled.
    frozen.shift(timedelta(seconds=2))
    response = client.post(reverse("two-factor"), {"code": totp_code(device), "email_code": email_code})
    assert "Tofaktorautentisering er slått på." in response.text
    assert len(backup_codes_in(response.text)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert not EmailDevice.objects.filter(user=staff).exists()  # used up


def test_the_mail_is_in_the_person_s_language_and_the_page_says_it_was_sent(client, frozen):
    officer = StaffRoleFactory(user__language="nn", user__full_name="Kari Nordmann").user
    officer, _device = setup_page_as_staff(client, officer)
    code = send_email_code(client)
    (message,) = mail.outbox
    assert message.to == [officer.email]
    assert message.extra_headers["Content-Language"] == "nn"
    assert code in message.body and code not in message.subject
    assert "Koden verkar i 10 minutt" in message.body  # the mail in nynorsk
    page = client.get(reverse("two-factor"))  # the page in the person's language too
    assert f"Vi har sendt ein kode til {officer.email}" in page.text  # the message after the button
    assert "Koden verkar til kl. 12:10." in page.text  # 10 minutes, in Oslo time
    assert "Send ny kode" in page.text


def test_a_wrong_app_code_does_not_use_up_the_mailed_code(client, frozen):
    officer, device = setup_page_as_staff(client)
    email_code = send_email_code(client)
    response = client.post(reverse("two-factor"), {"code": wrong_code(device), "email_code": email_code})
    assert "Koden stemmer ikke. Bruk den nyeste koden i appen" in response.text
    assert_not_enrolled(client, officer, device)
    frozen.shift(timedelta(seconds=2))
    response = client.post(reverse("two-factor"), {"code": totp_code(device), "email_code": email_code})
    assert "Tofaktorautentisering er slått på." in response.text


def test_an_expired_mailed_code_is_refused(client, frozen):
    officer, device = setup_page_as_staff(client)
    email_code = send_email_code(client)
    frozen.shift(timedelta(minutes=10, seconds=1))
    response = client.post(reverse("two-factor"), {"code": totp_code(device), "email_code": email_code})
    assert "Koden fra e-posten har gått ut." in response.text
    assert_not_enrolled(client, officer, device)
    assert "har gått ut. Be om en ny kode." in client.get(reverse("two-factor")).text


def test_a_new_mailed_code_replaces_the_old_one_and_can_be_asked_for_once_a_minute(client, frozen):
    officer, device = setup_page_as_staff(client)
    first = send_email_code(client)

    # Too soon: no mail, told how long to wait; the first code still works.
    mail.outbox.clear()
    response = client.post(reverse("two-factor"), {"action": "send-email-code"}, follow=True)
    assert mail.outbox == []
    assert "Vent 60 sekunder før du ber om en ny." in response.text

    frozen.shift(timedelta(seconds=61))
    second = send_email_code(client)
    while second == first:  # one in a million: ask again until it differs
        frozen.shift(timedelta(seconds=61))
        second = send_email_code(client)
    assert EmailDevice.objects.filter(user=officer).count() == 1
    response = client.post(reverse("two-factor"), {"code": totp_code(device), "email_code": first})
    assert "Koden fra e-posten stemmer ikke" in response.text
    assert_not_enrolled(client, officer, device)
    frozen.shift(timedelta(seconds=2))
    response = client.post(reverse("two-factor"), {"code": totp_code(device), "email_code": second})
    assert "Tofaktorautentisering er slått på." in response.text


def test_a_failed_send_stores_no_code_and_says_so(client, frozen, monkeypatch):
    officer, _device = setup_page_as_staff(client)

    def broken(*args, **kwargs):
        raise OSError("SMTP server down")

    monkeypatch.setattr("accounts.services.send_templated_email", broken)
    response = client.post(reverse("two-factor"), {"action": "send-email-code"}, follow=True)
    assert "Vi fikk ikke sendt e-posten." in response.text
    assert not EmailDevice.objects.filter(user=officer, token__isnull=False).exists()
    monkeypatch.undo()
    send_email_code(client)  # at once: no cooldown was stored


def test_re_enrolment_after_an_admin_deleted_the_lost_device_needs_the_mailed_code_too(client, frozen):
    officer = StaffRoleFactory().user
    totp_device(officer)
    TOTPDevice.objects.filter(user=officer).delete()  # what the admin does for a lost phone
    officer, device = setup_page_as_staff(client, officer)
    response = client.post(reverse("two-factor"), {"code": totp_code(device), "email_code": "123456"})
    assert "Vi har ikke sendt deg noen kode ennå." in response.text
    assert_not_enrolled(client, officer, device)
    email_code = send_email_code(client)
    response = client.post(reverse("two-factor"), {"code": totp_code(device), "email_code": email_code})
    assert "Tofaktorautentisering er slått på." in response.text


def test_applicants_turn_it_on_without_a_mailed_code_and_cannot_ask_for_one(client, frozen):
    user = MembershipFactory().user
    client.force_login(user)
    page = client.get(reverse("two-factor"))
    assert "Kode på e-post" not in page.text and 'name="email_code"' not in page.text
    # The send button is not theirs: pressing it anyway only posts an empty setup form.
    client.post(reverse("two-factor"), {"action": "send-email-code"})
    assert mail.outbox == [] and not EmailDevice.objects.exists()
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("two-factor"), {"code": totp_code(device)})
    assert "Tofaktorautentisering er slått på." in response.text


def test_the_staff_setup_page_has_a_pinned_query_count(client, frozen, django_assert_max_num_queries):
    setup_page_as_staff(client)
    send_email_code(client)
    # session, user, status, staff roles and their schemes (read once for "required" and the
    # menu), the device being set up, the mailed code's expiry, + 3 for the idle-expiry session save
    with django_assert_max_num_queries(10):
        response = client.get(reverse("two-factor"))
    assert "Vi har sendt en kode til e-postadressen din" in response.text


# --- Turning it off, new backup codes ----------------------------------------------------------------
def test_an_applicant_can_turn_it_off_with_a_current_code_but_not_with_a_wrong_one(client, frozen):
    user = MembershipFactory().user
    device = force_login_verified(client, user)
    response = client.post(reverse("two-factor-turn-off"), {"disable-code": wrong_code(device)})
    assert response.status_code == 200
    assert "Koden stemmer ikke" in response.text
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    frozen.shift(timedelta(seconds=2))
    response = client.post(reverse("two-factor-turn-off"), {"disable-code": totp_code(device)})
    assert response["Location"] == reverse("my-page")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert "Tofaktorautentisering er slått av." in client.get(reverse("my-page")).text
    assert log_in(client, user)["Location"] == reverse("my-page")  # no code step any more


def test_staff_cannot_turn_it_off_even_with_a_right_code_but_an_applicant_can(client, frozen):
    officer = StaffRoleFactory().user
    device = force_login_verified(client, officer)
    assert "kan du ikke slå av tofaktorautentisering" in client.get(reverse("two-factor")).text
    response = client.post(reverse("two-factor-turn-off"), {"disable-code": totp_code(device)})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()

    applicant = MembershipFactory().user
    device = force_login_verified(client, applicant)
    response = client.post(reverse("two-factor-turn-off"), {"disable-code": totp_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=applicant).exists()


def test_new_backup_codes_replace_the_old_ones_and_need_a_verified_session(client):
    user = MembershipFactory().user
    totp_device(user)
    old = StaticDevice.objects.create(user=user, name="Reservekoder")
    StaticToken.objects.create(device=old, token="gammel22")
    client.force_login(user)
    response = client.post(reverse("two-factor-backup-codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login-verify"))
    assert StaticToken.objects.filter(token="gammel22").exists()

    force_login_verified(client, user)
    response = client.post(reverse("two-factor-backup-codes"))
    codes = backup_codes_in(response.text)
    assert len(codes) == 10
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(codes)


def test_starting_setup_twice_gives_one_unconfirmed_device():
    user = UserFactory()
    assert totp_device_start(user=user).pk == totp_device_start(user=user).pk


# --- The admin -------------------------------------------------------------------------------------
def test_the_admin_needs_a_verified_session_and_its_login_page_is_the_portal_s(client, frozen):
    from tests.factories import SuperuserFactory

    admin = SuperuserFactory()
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/"
    # Posting a password to the admin's login page logs nobody in.
    response = client.post(reverse("admin:login"), {"username": admin.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session

    device = totp_device(admin)
    client.force_login(admin)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.request["PATH_INFO"] == reverse("login-verify")
    response = client.post(reverse("login-verify"), {"code": totp_code(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
