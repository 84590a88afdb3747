from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.Model):
    """An ordning (StimuLab, Innovasjonspartnerskap, …), run by one or more funding agencies.

    The core that staff roles are scoped to. The catalogue issue adds descriptions, instrument,
    themes, goals, calls and eligibility rules to it.
    """

    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(_("kortnavn i adressen"), max_length=80, unique=True)
    agencies = models.ManyToManyField(
        "organisations.Organisation",
        related_name="schemes",
        verbose_name=_("forvaltes av"),
        limit_choices_to={"is_funding_agency": True},
    )
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("Arkiverte ordninger vises med historikken sin, men tar ikke imot søknader."),
    )

    class Meta:
        verbose_name = _("ordning")
        verbose_name_plural = _("ordninger")
        ordering = ["name"]

    def __str__(self):
        return self.name
