"""Writes for accounts: settings, password reset, ID-porten links, two-factor devices and backup codes.

Services take the user and plain values, never the request; the views mark the session verified
(``django_otp.login``) after a service says a code was right.
"""

import logging
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_email.conf import settings as otp_email_settings
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.emails import send_templated_email
from portal.language import is_supported

from .models import IDportenIdentity, User, idporten_pid_digest
from .permissions import enrolment_needs_email_code, may_turn_off_two_factor

logger = logging.getLogger(__name__)


def user_update_settings(*, user: User, full_name: str, language: str) -> User:
    """Save what a person may change about themselves on Min side → Innstillinger."""
    user.full_name = full_name.strip()
    user.language = language
    # Only these fields changed; the unique e-mail check would cost two queries for nothing.
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=["full_name", "language"])
    return user


def user_set_language(*, user: User, language: str) -> User:
    """Store the language a logged-in person chose with the language switcher."""
    if not is_supported(language):
        raise ValidationError(_("Ukjent språk."), code="invalid_language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def reset_link_validity() -> dict:
    """How long a reset link works, for templates/accounts/password_reset_validity.txt."""
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    return {"valid_hours": minutes // 60 if minutes % 60 == 0 else None, "valid_minutes": minutes}


def password_reset_email_send(*, user: User, reset_url: str) -> None:
    """Mail ``user`` the link that lets them choose a new password, in their own language.

    A failed send is logged, not raised: the request page answers the same whether or not an
    account exists, and an error only for existing accounts would tell an attacker which do.
    """
    context = {"reset_url": reset_url, **reset_link_validity()}
    try:
        send_templated_email(to_user=user, template_prefix="accounts/emails/password_reset", context=context)
    except Exception:
        logger.exception("Could not send the password reset e-mail to user %s", user.pk)


@transaction.atomic
def user_password_reset(*, user: User, password: str) -> User:
    """Give ``user`` a new (already validated) password after they followed a reset link.

    Changing the password also ends every other session of the user: each session stores a hash
    derived from the password hash, which ``django.contrib.auth.get_user`` checks on every request.
    The reset link stops working too (its token is bound to the password hash).
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    # The lockout protects the old password from guessing. Whoever set this one proved they read
    # the account's mailbox, i.e. they are the owner; making them wait out the cool-off (often the
    # very reason they reset) would only lock the owner out. Guessing the new password starts
    # from zero failures, with the same limit. Failures are counted under the lower-cased address
    # (accounts.lockout.lockout_username), so that is the one name to reset.
    axes_reset(username=user.email.strip().lower())
    return user


def user_link_idporten(*, user: User, pid: str) -> IDportenIdentity:
    """Link the person behind a verified ID-porten pid to ``user``, replacing the user's earlier link.

    Raises ValidationError (with the unique message of ``pid_digest``) when another user already
    linked this pid, so one person can never reach two accounts' organisations through ID-porten.
    """
    identity = IDportenIdentity.objects.filter(user=user).first() or IDportenIdentity(user=user)
    identity.pid_digest = idporten_pid_digest(pid)
    identity.linked_at = timezone.now()
    identity.full_clean()
    try:
        with transaction.atomic():
            identity.save()
    except IntegrityError as exc:  # another request linked the same pid between the check and the save
        raise ValidationError(IDportenIdentity._meta.get_field("pid_digest").error_messages["unique"]) from exc
    return identity


def user_unlink_idporten(*, user: User) -> bool:
    """Remove the user's ID-porten link; returns whether there was one."""
    deleted, _ = IDportenIdentity.objects.filter(user=user).delete()
    return deleted > 0


# --- Two-factor authentication (django-otp) ---------------------------------------------------

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Autentiseringsapp"
BACKUP_DEVICE_NAME = "Reservekoder"
ENROLMENT_EMAIL_DEVICE_NAME = "E-postkode ved oppsett"


@dataclass(frozen=True)
class CodeCheck:
    """The answer to a code: the device that accepted it, or why none did."""

    device: object = None
    locked_until: datetime | None = None  # set when too many wrong codes made the device wait
    backup_codes: tuple[str, ...] = ()  # new backup codes, when the service made some (shown once)
    # Staff confirming a device: why the mailed code failed ("not_sent", "wrong", "expired" or
    # "locked", with locked_until); empty when the mailed code was right or not needed.
    email_code_error: str = ""

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


@dataclass(frozen=True)
class EmailCodeSend:
    """The answer to "send me a code": sent (until when it works), or when a new one may be asked for."""

    valid_until: datetime | None = None
    wait_until: datetime | None = None  # a code was sent less than OTP_EMAIL_COOLDOWN_DURATION ago
    failed: bool = False  # the mail could not be sent; nothing was stored

    @property
    def ok(self) -> bool:
        return self.valid_until is not None


def _enrolment_email_device(*, user, create: bool) -> EmailDevice | None:
    """The user's mailed-code device, locked. Never confirmed: it cannot open a login (the code
    step and ``has_two_factor_device`` ask only for confirmed devices) and is deleted once the
    app is confirmed. Call inside a transaction."""
    device = EmailDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None and create:
        device = EmailDevice(user=user, name=ENROLMENT_EMAIL_DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def two_factor_email_code_send(*, user) -> EmailCodeSend:
    """Mail ``user`` (at the account's address, in their language) a new six-digit code for setting
    up two-factor; an earlier code stops working. At most one mail per OTP_EMAIL_COOLDOWN_DURATION.

    The mail is sent inside the transaction: when sending fails, no code and no cooldown are
    stored, so the person can try again at once.
    """
    try:
        with transaction.atomic():
            device = _enrolment_email_device(user=user, create=True)
            allowed, info = device.generate_is_allowed()
            if not allowed:
                return EmailCodeSend(wait_until=(info or {}).get("next_generation_at"))
            device.cooldown_set(commit=False)
            validity = otp_email_settings.OTP_EMAIL_TOKEN_VALIDITY
            device.generate_token(valid_secs=validity, commit=True)
            send_templated_email(
                to_user=user,
                template_prefix="accounts/emails/two_factor_enrolment",
                context={"code": device.token, "valid_minutes": validity // 60},
            )
    except Exception:
        logger.exception("Could not send the two-factor enrolment code to user %s", user.pk)
        return EmailCodeSend(failed=True)
    return EmailCodeSend(valid_until=device.valid_until)


def _email_code_error(device: EmailDevice | None, token: str) -> CodeCheck | None:
    """None when the mailed code is right; otherwise why not, counting a wrong try against the
    device's throttle. Does not use the code up (the caller deletes the device once the app's code
    is right too), so a mistyped app code does not cost the person a new mail. Call inside a
    transaction with the device locked."""
    if device is None or device.token is None:
        return CodeCheck(email_code_error="not_sent")
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(locked_until=(info or {}).get("locked_until"), email_code_error="locked")
    if constant_time_compare(token, device.token) and timezone.now() < device.valid_until:
        return None
    device.throttle_increment()
    return CodeCheck(email_code_error="expired" if constant_time_compare(token, device.token) else "wrong")


@transaction.atomic
def totp_device_confirm(*, user, device_id: int, token: str, email_token: str = "") -> CodeCheck:
    """Confirm the device being set up with a code from the app, and make ten backup codes.
    Staff must also give the code mailed by ``two_factor_email_code_send`` (see
    ``enrolment_needs_email_code``); both are checked here, the mailed one first, so a wrong or
    missing mailed code leaves the app's code untried. A wrong code leaves the device unconfirmed
    and makes nothing."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        return CodeCheck()
    email_device = None
    if enrolment_needs_email_code(user):
        email_device = _enrolment_email_device(user=user, create=False)
        email_error = _email_code_error(email_device, normalise_code(email_token))
        if email_error is not None:
            return email_error
    result = _check(device, normalise_code(token))
    if result.ok:
        # One app per person: a confirmed device replaces any earlier one.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        if email_device is not None:
            email_device.delete()  # its code is used up with it
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
