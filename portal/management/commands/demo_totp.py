"""Print the current two-factor code of a demo user, so `make run`'s staff logins work without an
authenticator app. Local only: refused when DEBUG is off, and only for devices with the demo secret
(never a real person's device, even on a DEBUG machine pointed at real data)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.management.commands.load_demo_data import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff user (local demo data only; refused when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The demo user's e-mail, e.g. sara.saksbehandler@demo.innovasjonsportalen.no")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp is only for local use; DEBUG is off.")
        device = (
            TOTPDevice.objects.filter(user__email__iexact=options["email"], confirmed=True, key=DEMO_TOTP_KEY)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise CommandError(f"{options['email']} has no demo two-factor device (run `manage.py load_demo_data`).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        seconds_left = device.step - (int(totp.time) - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}  (valid for {seconds_left} s more)")
