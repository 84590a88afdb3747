from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from projects.demo import demo_funded_load, demo_history_load


class Command(BaseCommand):
    help = (
        "Load several years of demo history into the project bank, and projects funded through the portal "
        "(refused when DEBUG is off)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is only for local use; DEBUG is off.")
        report = demo_history_load()
        if not report.ok:
            raise CommandError("; ".join(f"{e.line} {e.column}: {e.message}" for e in report.errors[:5]))
        self.stdout.write(
            f"Demo history: {report.created} new, {report.updated} changed, {report.unchanged} unchanged."
        )
        funded = demo_funded_load()  # needs load_demo_data's users and organisations; none without them
        self.stdout.write(f"Demo projects funded through the portal: {funded} new.")
