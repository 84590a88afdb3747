"""Two-factor helpers for tests: a confirmed device, a session already verified, the current code."""

import re
import time

from django.core import mail
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user, *, confirmed=True) -> TOTPDevice:
    """The person's TOTP device (made when missing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()
    return device or TOTPDevice.objects.create(user=user, name="Testapp", confirmed=confirmed)


def totp_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now (django-otp's own TOTP arithmetic).

    A code is accepted once: when this time step was used already (two logins within 30 s), it
    gives the next step's code, which the device's tolerance of one step accepts.
    """
    device.refresh_from_db()
    now_t = (int(time.time()) - device.t0) // device.step + device.drift
    t = max(now_t, device.last_t + 1)
    return f"{hotp(device.bin_key, t, digits=device.digits):0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {totp_code(device)}
    device.refresh_from_db()
    now_t = (int(time.time()) - device.t0) // device.step + device.drift
    right |= {f"{hotp(device.bin_key, now_t + d, digits=6):06d}" for d in (-1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444", "555555") if code not in right)


def force_login_verified(client, user) -> TOTPDevice:
    """Log in as ``user`` with a session that passed two-factor (as after the code step)."""
    device = totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def mailed_enrolment_code() -> str:
    """The code in the newest mail of the outbox (the one staff give when setting up a device).
    The live server runs in a thread of the test process, so its mail lands here too."""
    (code,) = re.findall(r"^(\d{6})$", mail.outbox[-1].body, re.MULTILINE)
    return code
