"""Reads for accounts: what the two-factor pages show."""

from dataclasses import dataclass
from datetime import datetime

from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


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
