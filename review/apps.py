from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Vurdering og vedtak")

    def ready(self):
        from . import handlers  # noqa: F401  (registers the scheduler handlers)
