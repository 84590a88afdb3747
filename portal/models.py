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


class AccessibilityReview(models.Model):
    """A test of the portal against WCAG 2.1 A and AA: when, and how it was done. The statement
    page (``/tilgjengelighetserklaering/``) shows the latest one."""

    tested_on = models.DateField(_("testet dato"))
    method = models.TextField(_("slik ble det testet (bokmål)"))
    method_nn = models.TextField(_("slik ble det testet (nynorsk)"), blank=True)
    method_en = models.TextField(_("slik ble det testet (engelsk)"), blank=True)

    class Meta:
        verbose_name = _("test av universell utforming")
        verbose_name_plural = _("tester av universell utforming")
        ordering = ["-tested_on", "-pk"]

    def __str__(self):
        return f"{self.tested_on:%d.%m.%Y}"


class AccessibilityDeviation(models.Model):
    """A known breach of a WCAG success criterion, shown on the statement page until it is fixed."""

    criterion = models.CharField(
        _("suksesskriterium"), max_length=120, help_text=_("Nummer og navn, f.eks. «1.4.10 Dynamisk tilpasning».")
    )
    where = models.CharField(_("hvor (bokmål)"), max_length=300)
    where_nn = models.CharField(_("hvor (nynorsk)"), max_length=300, blank=True)
    where_en = models.CharField(_("hvor (engelsk)"), max_length=300, blank=True)
    description = models.TextField(_("hva som ikke virker (bokmål)"))
    description_nn = models.TextField(_("hva som ikke virker (nynorsk)"), blank=True)
    description_en = models.TextField(_("hva som ikke virker (engelsk)"), blank=True)
    fixed_by = models.DateField(_("rettes innen"), null=True, blank=True, help_text=_("Tom hvis ikke avklart."))
    fixed = models.BooleanField(
        _("rettet"), default=False, help_text=_("Rettede avvik vises ikke lenger i erklæringen.")
    )

    class Meta:
        verbose_name = _("kjent avvik fra WCAG")
        verbose_name_plural = _("kjente avvik fra WCAG")
        ordering = ["fixed", "criterion", "pk"]

    def __str__(self):
        return self.criterion
