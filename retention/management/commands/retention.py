from django.core.management.base import BaseCommand

from retention.rules import __doc__ as RULES_DOC
from retention.services import retention_run


class Command(BaseCommand):
    help = "Carry out the retention rules now (retention/rules.py); --dry-run only counts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        counts = retention_run(dry_run=dry_run)
        if options["verbosity"] > 1:
            self.stdout.write(RULES_DOC)
        self.stdout.write("Tørrkjøring: ingenting endret." if dry_run else "Utført og registrert.")
        for rule, numbers in counts.items():
            described = ", ".join(f"{key} {value}" for key, value in numbers.items())
            self.stdout.write(f"{rule}: {described}")
