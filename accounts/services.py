"""Writes for accounts: two-factor devices and backup codes (django-otp).

Services take the user and plain values, never the request; the views mark the session verified
(``django_otp.login``) after a service says a code was right.
"""

from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import may_turn_off_two_factor

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Autentiseringsapp"
BACKUP_DEVICE_NAME = "Reservekoder"


@dataclass(frozen=True)
class CodeCheck:
    """The answer to a code: the device that accepted it, or why none did."""

    device: object = None
    locked_until: datetime | None = None  # set when too many wrong codes made the device wait
    backup_codes: tuple[str, ...] = ()  # new backup codes, when the service made some (shown once)

    @property
    def ok(self) -> bool:
        return self.device is not None


def normalise_code(token: str) -> str:
    """People type codes with spaces or dashes ("123 456", "abcd-efgh"); the devices store neither."""
    return "".join(ch for ch in token if ch.isalnum()).lower()


def totp_secret_base32(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_device_start(*, user) -> TOTPDevice:
    """The unconfirmed TOTP device being set up: the same one on every call until it is confirmed,
    so a person who scanned the QR code and reloads the page keeps a working secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).select_related("user").order_by("pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def _check(device, token: str) -> CodeCheck:
    """Call inside a transaction with the device row locked (select_for_update): throttling
    counts each wrong code, and two requests at once must not both get a try."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(locked_until=(info or {}).get("locked_until"))
    return CodeCheck(device=device) if device.verify_token(token) else CodeCheck()


@transaction.atomic
def totp_device_confirm(*, user, device_id: int, token: str) -> CodeCheck:
    """Confirm the device being set up with a code from the app, and make ten backup codes.
    A wrong code leaves the device unconfirmed and makes nothing."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        return CodeCheck()
    result = _check(device, normalise_code(token))
    if result.ok:
        # One app per person: a confirmed device replaces any earlier one.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return CodeCheck(device=device, backup_codes=tuple(backup_codes_regenerate(user=user)))
    return result


@transaction.atomic
def two_factor_verify(*, user, token: str) -> CodeCheck:
    """Check a code at login: six digits go to the app's device, anything else to the backup codes
    (eight characters), so a wrong guess only counts against the device it was meant for."""
    code = normalise_code(token)
    model = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return CodeCheck()
    return _check(device, code)


@transaction.atomic
def backup_codes_regenerate(*, user) -> list[str]:
    """Ten new one-time backup codes; the old ones stop working. Shown once, stored as given."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


class TwoFactorRequired(Exception):
    """Raised when someone whose role requires two-factor tries to turn it off."""


@transaction.atomic
def two_factor_disable(*, user, token: str) -> CodeCheck:
    """Turn two-factor off with a current code from the app: every device and backup code goes.

    Staff cannot turn it off (their role requires it); the view hides the form, this refuses anyway.
    """
    if not may_turn_off_two_factor(user):
        raise TwoFactorRequired
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return CodeCheck()
    result = _check(device, normalise_code(token))
    if result.ok:
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    return result
