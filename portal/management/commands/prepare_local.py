from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "What `make run` does before starting: migrate, write beat's tasks, load demo data (one start-up)."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("setup_periodic_tasks", verbosity=0)
        call_command("load_demo_data")
