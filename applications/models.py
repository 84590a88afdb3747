"""Applications and the forms they are written in.

A call's form (``CallForm``) is edited by administrators; an application stores its own copy of it
when it is created (``selectors.definition_snapshot``), so later edits never change one in progress.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .formdef import FormDefinition, FormDefinitionError


def empty_definition() -> dict:
    return {"sections": []}


class CallForm(models.Model):
    """The application form of a call, or of one stage of it (sketch, full application, …).

    ``stage`` is empty for a call without stages: the form is then the whole call's. ``definition``
    is a form definition's JSON (``applications.formdef``), checked on ``full_clean``.
    """

    call = models.ForeignKey(
        "schemes.Call", on_delete=models.CASCADE, related_name="forms", verbose_name=_("utlysning")
    )
    stage = models.ForeignKey(
        "schemes.CallStage", on_delete=models.CASCADE, null=True, blank=True, related_name="forms",
        verbose_name=_("trinn"), help_text=_("Tomt når utlysningen ikke har trinn."),
    )  # fmt: skip
    definition = models.JSONField(_("skjema"), default=empty_definition)
    updated_at = models.DateTimeField(_("endret"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("endret av"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("søknadsskjema")
        verbose_name_plural = _("søknadsskjemaer")
        ordering = ["call", "stage__order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "stage"], condition=Q(stage__isnull=False),
                                    name="callform_unique_call_stage"),
            models.UniqueConstraint(fields=["call"], condition=Q(stage__isnull=True),
                                    name="callform_unique_call_without_stage"),
        ]  # fmt: skip

    def __str__(self):
        if self.stage_id:
            return f"{self.call.title} – {self.stage.get_kind_display()}"
        return str(self.call.title)

    def clean(self):
        errors = {}
        if self.stage_id and self.call_id and self.stage.call_id != self.call_id:
            errors["stage"] = _("Trinnet hører til en annen utlysning.")
        elif not self.stage_id and self.call_id and self.call.stages.exists():
            errors["stage"] = _("Utlysningen har trinn: velg hvilket trinn skjemaet gjelder.")
        try:
            FormDefinition.from_json(self.definition)
        except FormDefinitionError as error:
            errors["definition"] = error.messages
        if errors:
            raise ValidationError(errors)
