from celery import shared_task

from .services import heartbeat_record


@shared_task(name="portal.record_heartbeat")
def record_heartbeat(name: str) -> None:
    heartbeat_record(name=name)


@shared_task(name="portal.scheduler_tick")
def scheduler_tick() -> None:
    """Runs every minute from beat: proves beat is alive, then sweeps the due deadline rows
    (scheduling/engine.py). The sweep is its own task so a slow sweep never delays the heartbeat."""
    from scheduling.tasks import sweep

    heartbeat_record(name="beat")
    sweep.delay()
