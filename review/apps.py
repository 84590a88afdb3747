from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Vurdering og vedtak")

    def ready(self):
        from attachments.permissions import register_download_observer, register_owner_check

        from . import handlers  # noqa: F401  (registers the scheduler handlers)
        from .selectors import reviewer_file_owner_check
        from .services import file_download_record

        register_owner_check(reviewer_file_owner_check)
        register_download_observer(file_download_record)
