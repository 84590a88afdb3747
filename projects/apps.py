from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Prosjektbanken")

    def import_models(self):
        super().import_models()
        # The procurement KPI models have their own module (projects.kpi) beside models.py.
        import_module(f"{self.name}.kpi")

    def ready(self):
        from applications.services.transitions import on_transition
        from applications.workflow import COMPLETE
        from review.services import register_offer_accepted_observer

        from .services import project_complete, project_from_offer

        register_offer_accepted_observer(project_from_offer)
        on_transition(COMPLETE)(project_complete)  # the bank's «Avsluttet» follows the officer's completion
