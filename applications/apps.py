from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Søknader")

    def ready(self):
        from . import handlers  # noqa: F401  (registers the scheduler handlers)
        from .selectors import register_file_owner_check

        register_file_owner_check()
