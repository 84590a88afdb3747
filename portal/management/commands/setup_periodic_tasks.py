from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from portal.schedule import PERIODIC_TASKS


class Command(BaseCommand):
    help = "Create or update beat's periodic tasks from portal/schedule.py (safe to rerun)."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, (task, seconds) in PERIODIC_TASKS.items():
            interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
            obj, created = PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": task, "interval": interval, "enabled": True}
            )
            if options["verbosity"]:
                self.stdout.write(f"{'created' if created else 'updated'}: {obj.name} -> {task} every {seconds}s")
        stale = PeriodicTask.objects.exclude(name__in=PERIODIC_TASKS).exclude(name__startswith="celery.")
        for obj in stale:
            obj.enabled = False
            obj.save(update_fields=["enabled"])
            if options["verbosity"]:
                self.stdout.write(f"disabled (no longer declared): {obj.name}")
