# Load the Celery app with Django so that shared tasks use it and `delay_on_commit` works
# from views and services.
from .celery import app as celery_app

__all__ = ("celery_app",)
