from celery import shared_task
from django.core.management import call_command

from .publish import publish
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
    publish(sweep)  # a broker that does not answer: the next tick sweeps


@shared_task(name="portal.clear_sessions")
def clear_sessions() -> None:
    """Django's ``clearsessions``: delete expired sessions (one DELETE on the session table).
    Safe to run twice or late: it only ever removes what has expired."""
    call_command("clearsessions")
