from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Prosjektbanken")

    def ready(self):
        from review.services import register_offer_accepted_observer

        from .services import project_from_offer

        register_offer_accepted_observer(project_from_offer)
