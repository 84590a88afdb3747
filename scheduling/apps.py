from importlib import import_module

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = _("Planlegger og varsler")

    def ready(self):
        # The handlers register their kinds on import; the worker needs them before the first task.
        import_module("scheduling.handlers")
        for module in getattr(settings, "SCHEDULING_EXTRA_HANDLER_MODULES", ()):
            import_module(module)
