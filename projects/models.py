"""A funded (or, from imported history, refused) project: what the public project bank shows and
the statistics count.

Public-sector transparency makes the owner, scheme, amount and title always public. The rest is
public only when the applicant chose it (``public_*``) and no officer has redacted it
(``redacted_*``); ``OPTIONAL_FIELDS`` names these parts. ``search_document`` holds the stems of the
title and of the summary when that is public (``portal.textsearch``), written by
``services.project_refresh``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.publicity import PUBLIC_PARTS

# The parts of a project beyond the transparency minimum, each with its label.
OPTIONAL_FIELDS = PUBLIC_PARTS


class Decision(models.TextChoices):
    GRANTED = "innvilget", _("Innvilget")
    REFUSED = "avslatt", _("Avslått")


class ProjectStatus(models.TextChoices):
    ONGOING = "pagar", _("Pågår")
    COMPLETED = "avsluttet", _("Avsluttet")
    NOT_FUNDED = "ikke-finansiert", _("Ikke finansiert")


class ProjectQuerySet(models.QuerySet):
    def funded(self):
        return self.filter(decision=Decision.GRANTED)


def visible(part: str) -> Q:
    """The rows whose ``part`` (``OPTIONAL_FIELDS``) the public may see."""
    return Q(**{f"public_{part}": True, f"redacted_{part}": False})


class Project(models.Model):
    external_id = models.CharField(
        _("ekstern id"), max_length=100, unique=True, null=True, blank=True, help_text=_("Fra historikkimporten.")
    )
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="project"
    )
    title = models.CharField(_("tittel"), max_length=300)
    summary = models.TextField(_("sammendrag"), blank=True)
    results = models.TextField(_("resultater og realiserte gevinster"), blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="projects", verbose_name=_("eier")
    )
    partners = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="partner_projects", verbose_name=_("partnere")
    )
    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kommune")
    )
    county = models.ForeignKey(
        "organisations.County", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("fylke")
    )
    scheme = models.ForeignKey(
        "schemes.Scheme", on_delete=models.PROTECT, related_name="projects", verbose_name=_("ordning")
    )
    call = models.ForeignKey(
        "schemes.Call", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("utlysning")
    )
    call_title = models.CharField(_("utlysning (tekst)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    decision = models.CharField(_("vedtak"), max_length=20, choices=Decision.choices, default=Decision.GRANTED)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING)
    amount_applied = models.DecimalField(_("søkt beløp"), max_digits=14, decimal_places=0, null=True, blank=True)
    amount_granted = models.DecimalField(_("innvilget beløp"), max_digits=14, decimal_places=0, null=True, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("slutt"), null=True, blank=True)
    sdgs = models.ManyToManyField(
        "schemes.SustainableDevelopmentGoal", blank=True, related_name="projects", verbose_name=_("bærekraftsmål")
    )
    themes = models.ManyToManyField("schemes.Theme", blank=True, related_name="projects", verbose_name=_("temaer"))

    public_summary = models.BooleanField(_("sammendraget er offentlig"), default=True)
    public_partners = models.BooleanField(_("partnerne er offentlige"), default=True)
    public_place = models.BooleanField(_("kommune og fylke er offentlige"), default=True)
    public_period = models.BooleanField(_("perioden er offentlig"), default=True)
    public_results = models.BooleanField(_("resultatene er offentlige"), default=True)
    redacted_summary = models.BooleanField(_("sladd sammendraget"), default=False)
    redacted_partners = models.BooleanField(_("sladd partnerne"), default=False)
    redacted_place = models.BooleanField(_("sladd kommune og fylke"), default=False)
    redacted_period = models.BooleanField(_("sladd perioden"), default=False)
    redacted_results = models.BooleanField(_("sladd resultatene"), default=False)

    search_document = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("prosjekt")
        verbose_name_plural = _("prosjekter")
        ordering = ["-year", "title", "pk"]
        indexes = [
            models.Index(fields=["decision", "year"], name="project_decision_year"),
            models.Index(fields=["decision", "amount_granted"], name="project_decision_amount"),
            models.Index(fields=["scheme", "year"], name="project_scheme_year"),
            # the bank's and the API's default order: a page is read from the index, not sorted from
            # every funded project (tests/bench/test_results_bench.py)
            models.Index(fields=["decision", "-year", "title", "id"], name="project_bank_newest"),
        ]

    def __str__(self):
        return self.title

    def shows(self, part: str) -> bool:
        """Whether the public may see ``part`` (``OPTIONAL_FIELDS``)."""
        return getattr(self, f"public_{part}") and not getattr(self, f"redacted_{part}")

    @property
    def public_parts(self) -> dict[str, bool]:
        return {part: self.shows(part) for part in OPTIONAL_FIELDS}


class ProjectRedaction(models.Model):
    """One officer's change to what is redacted on a project, with the reason (append-only record;
    ``services.project_redact`` writes it together with the project's ``redacted_*``)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="redactions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("av"))  # fmt: skip
    at = models.DateTimeField(_("tidspunkt"))
    reason = models.TextField(_("begrunnelse"))
    redacted = models.JSONField(_("sladdet etter endringen"), default=list)
    added = models.JSONField(_("sladdet nå"), default=list)
    removed = models.JSONField(_("ikke lenger sladdet"), default=list)

    class Meta:
        verbose_name = _("sladding")
        verbose_name_plural = _("sladdinger")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.project_id} {self.at:%Y-%m-%d %H:%M}"

    @property
    def labels_added(self) -> list[str]:
        return [str(OPTIONAL_FIELDS.get(part, part)) for part in self.added]

    @property
    def labels_removed(self) -> list[str]:
        return [str(OPTIONAL_FIELDS.get(part, part)) for part in self.removed]
