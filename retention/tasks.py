from celery import shared_task

from .services import retention_run


@shared_task(name="retention.run")
def run() -> dict:
    """Beat runs this every hour (portal/schedule.py). A late or repeated run does nothing twice."""
    return retention_run()
