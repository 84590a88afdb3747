"""Reads for accounts: ID-porten links and what the two-factor pages show."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import IDportenIdentity, User, idporten_pid_digest


def user_for_idporten_pid(*, pid: str) -> User | None:
    """The user who linked this ID-porten identity, if anyone did."""
    return User.objects.filter(idporten_identity__pid_digest=idporten_pid_digest(pid)).first()


def idporten_identity_for_user(*, user: User) -> IDportenIdentity | None:
    return IDportenIdentity.objects.filter(user=user).first()


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    last_used_at: datetime | None
    backup_codes_left: int


def has_two_factor_device(*, user) -> bool:
    """A confirmed device of any kind (the app or backup codes), so a code can be asked for."""
    return user_has_device(user, confirmed=True)


def two_factor_status(*, user) -> TwoFactorStatus:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).only("last_used_at").first()
    return TwoFactorStatus(
        enabled=device is not None,
        last_used_at=device.last_used_at if device else None,
        backup_codes_left=StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
        if device
        else 0,
    )


@dataclass(frozen=True)
class EnrolmentEmailCode:
    """The mailed code of a person setting up two-factor (staff): whether one was sent, until when
    it works."""

    valid_until: datetime | None

    @property
    def sent(self) -> bool:
        return self.valid_until is not None

    @property
    def expired(self) -> bool:
        return self.valid_until is not None and self.valid_until <= timezone.now()


def enrolment_email_code(*, user) -> EnrolmentEmailCode:
    device = (
        EmailDevice.objects.filter(user=user, confirmed=False, token__isnull=False)
        .order_by("pk")
        .only("valid_until")
        .first()
    )
    return EnrolmentEmailCode(valid_until=device.valid_until if device else None)
