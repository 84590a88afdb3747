"""Demo data for `make run`: safe to rerun (updates, never duplicates).

The passwords are obvious local demo values, printed on purpose; the command refuses to run when
DEBUG is off so it can never seed a real deployment.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "demo-passord-2026"  # noqa: S105 - local demo value, printed by `make run`

DEMO_USERS = [
    # (e-mail, name, is_staff, is_superuser, what they are for)
    ("admin@demo.innovasjonsportalen.no", "Ada Administrator", True, True, "administrator"),
]


class Command(BaseCommand):
    help = "Load demo users and data for local use (refused when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is only for local use; DEBUG is off.")
        for email, name, is_staff, is_superuser, _role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=email, defaults={"full_name": name, "is_staff": is_staff, "is_superuser": is_superuser}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not options["quiet_logins"]:
            self.print_logins()

    def print_logins(self):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, _staff, _su, role in DEMO_USERS:
            self.stdout.write(f"  {role:<16} {email}")
