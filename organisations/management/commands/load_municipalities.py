from django.core.management.base import BaseCommand

from organisations.services import municipalities_load


class Command(BaseCommand):
    help = "Load or update the 2024 counties and municipalities (safe to rerun; never duplicates)."

    def handle(self, *args, **options):
        r = municipalities_load()
        self.stdout.write(
            f"fylker: {r.counties_created} new, {r.counties_updated} updated; "
            f"kommuner: {r.municipalities_created} new, {r.municipalities_updated} updated"
        )
