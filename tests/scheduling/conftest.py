import pytest

from portal.celery import app


@pytest.fixture
def eager(django_capture_on_commit_callbacks):
    """Tasks run inline when sent (unit tests of the engine; the live worker has its own tests).
    Returns a context manager that runs what was sent after commit at the end of its block."""
    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    app.conf.task_always_eager, app.conf.task_eager_propagates = before
