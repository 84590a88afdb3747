from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last moment a background component proved it was alive.

    Written only by the worker (``portal.tasks``), so a fresh row proves the whole path
    beat/service → broker → worker → database works. ``name`` is "beat" for the scheduler's tick.
    """

    name = models.CharField(_("navn"), max_length=100, unique=True)
    seen_at = models.DateTimeField(_("sist sett"))
    count = models.PositiveBigIntegerField(_("antall"), default=0)

    class Meta:
        verbose_name = _("livstegn")
        verbose_name_plural = _("livstegn")

    def __str__(self):
        return f"{self.name} {self.seen_at:%Y-%m-%d %H:%M:%S}"
