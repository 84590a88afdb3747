"""The periodic tasks beat runs, declared here and written to django-celery-beat's tables by
``manage.py setup_periodic_tasks`` (run by `make run`, the Docker image and the tests), never by
hand in the admin."""

PERIODIC_TASKS = {
    # name: (task, every N seconds)
    "Planleggerens tikk hvert minutt": ("portal.scheduler_tick", 60),
    # Database sessions are never removed by Django itself; expired ones pile up otherwise.
    "Slett utløpte økter hver time": ("portal.clear_sessions", 3600),
    # The retention rules (retention/rules.py): what is due is deleted or anonymised within the hour
    # it falls due (a run with nothing due is a few queries; nothing is done twice).
    "Bevaringsregler hver time": ("retention.run", 3600),
}
