from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """One run of the retention rules (retention/rules.py): when, and how many of each kind it
    deleted or anonymised. A dry run is never recorded; it only prints."""

    started_at = models.DateTimeField(_("startet"), default=timezone.now)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    counts = models.JSONField(_("antall per regel"), default=dict)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("sletterunde")
        verbose_name_plural = _("sletterunder")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class RetentionAction(models.Model):
    """What a run did to one application under one rule: the rule is carried out once per
    application (the unique key), so a rerun or a second worker does nothing twice."""

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="actions")
    rule = models.CharField(_("regel"), max_length=30)
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    files_deleted = models.PositiveIntegerField(_("filer slettet"), default=0)
    at = models.DateTimeField(_("tidspunkt"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "application"], name="retention_once_per_rule")]
        verbose_name = _("sletting")
        verbose_name_plural = _("slettinger")

    def __str__(self):
        return f"{self.rule}: {self.application_id}"
