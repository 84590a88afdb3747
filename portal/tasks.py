from celery import shared_task

from .services import heartbeat_record


@shared_task(name="portal.record_heartbeat")
def record_heartbeat(name: str) -> None:
    heartbeat_record(name=name)


@shared_task(name="portal.scheduler_tick")
def scheduler_tick() -> None:
    """Runs every minute from beat. Later issues hang the deadline sweep on this tick."""
    heartbeat_record(name="beat")
