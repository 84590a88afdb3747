"""The supplier development programme's targets for innovative procurement (issue 15), edited by
admins: one row per programme period with its targets, which scheme instruments count as PPI or PCP
processes (``ProgrammeInstrument``, so a scheme counts by its ``instrument`` field, never by code),
and which themes make a project a service innovation. ``kpi_selectors`` sets them against the
project rows. The models live here, beside ``models.py``, and are loaded by ``ProjectsConfig``."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from schemes.models import Instrument

YEARS = [MinValueValidator(1990), MaxValueValidator(2100)]


class Process(models.TextChoices):
    PPI = "ppi", _("Innovativ anskaffelse (OFI/PPI)")
    PCP = "pcp", _("Førkommersiell anskaffelse (FKA/PCP)")


class ProcurementProgramme(models.Model):
    name = models.CharField(_("navn (bokmål)"), max_length=200)
    name_nn = models.CharField(_("navn (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200, blank=True)
    first_year = models.PositiveSmallIntegerField(_("fra år"), validators=YEARS)
    last_year = models.PositiveSmallIntegerField(_("til år"), validators=YEARS)
    target_state_bodies = models.PositiveIntegerField(_("mål: statlige virksomheter"), default=15)
    target_municipal_bodies = models.PositiveIntegerField(_("mål: kommunale virksomheter"), default=15)
    target_processes = models.PositiveIntegerField(_("mål: OFI- og FKA-prosesser"), default=60)
    target_service_innovations = models.PositiveIntegerField(_("mål: herav tjenesteinnovasjoner"), default=10)
    service_themes = models.ManyToManyField(
        "schemes.Theme", blank=True, related_name="+", verbose_name=_("temaer for tjenesteinnovasjon")
    )

    class Meta:
        verbose_name = _("leverandørutviklingsprogram (mål)")
        verbose_name_plural = _("leverandørutviklingsprogram (mål)")
        ordering = ["-last_year", "-first_year", "pk"]

    def __str__(self):
        return f"{self.name} {self.first_year}–{self.last_year}"

    def clean(self):
        if self.first_year and self.last_year and self.first_year > self.last_year:
            raise ValidationError({"last_year": _("«Til år» kan ikke være før «fra år».")})


class ProgrammeInstrument(models.Model):
    """A scheme instrument whose funded projects count as processes of ``process``."""

    programme = models.ForeignKey(ProcurementProgramme, on_delete=models.CASCADE, related_name="instruments")
    instrument = models.CharField(_("virkemiddel"), max_length=40, choices=Instrument.choices)
    process = models.CharField(_("teller som"), max_length=10, choices=Process.choices)

    class Meta:
        verbose_name = _("virkemiddel som teller")
        verbose_name_plural = _("virkemidler som teller")
        constraints = [
            models.UniqueConstraint(fields=["programme", "instrument"], name="programme_instrument_once"),
        ]

    def __str__(self):
        return f"{self.get_instrument_display()}: {self.get_process_display()}"
