from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.formdef.fields import NorwegianDateField
from applications.workflow import transition
from portal.forms import DesignsystemetMixin

from .services import BULK_TRANSITIONS

ASSIGN = "tildel"
# Until working days are counted for the default (portal.workdays), the form proposes 15 days.
DEFAULT_DUE_DAYS = 15


def action_choices():
    return [("", _("Velg handling")), (ASSIGN, _("Tildel fageksperter"))] + [
        (name, transition(name).label) for name in BULK_TRANSITIONS
    ]


class BulkActionForm(DesignsystemetMixin, forms.Form):
    """The queue's bulk action: which rows (checkboxes named ``soknad``), what to do with them, and
    for assigning reviewers, their due date."""

    handling = forms.ChoiceField(label=_("Handling for de valgte søknadene"), choices=action_choices)
    frist = NorwegianDateField(
        label=_("Frist for fagvurdering"),
        required=False,
        help_text=_("Gjelder når du tildeler fageksperter. Skriv datoen som dd.mm.åååå."),
    )
    soknad = forms.TypedMultipleChoiceField(coerce=int, required=True, error_messages={
        "required": _("Velg minst én søknad i tabellen."),
    })  # fmt: skip
    tilbake = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, row_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any id may be posted; the service only touches rows the person may handle.
        posted = self.data.getlist("soknad") if hasattr(self.data, "getlist") else []
        self.fields["soknad"].choices = [(str(pk), str(pk)) for pk in [*row_ids, *posted] if str(pk).isdigit()]
        self.fields["handling"].error_messages["required"] = _("Velg hva som skal gjøres med de valgte søknadene.")
        if not self.is_bound:
            self.initial.setdefault("frist", timezone.localdate() + timedelta(days=DEFAULT_DUE_DAYS))

    def clean(self):
        cleaned = super().clean()
        due = cleaned.get("frist")
        if cleaned.get("handling") == ASSIGN:
            if due is None and not self.has_error("frist"):
                self.add_error("frist", _("Skriv fristen for fagvurderingen."))
            elif due is not None and due < timezone.localdate():
                self.add_error("frist", _("Fristen kan ikke være tilbake i tid."))
        return cleaned

    @property
    def selected(self) -> set[int]:
        if self.is_bound:
            return {int(pk) for pk in self.data.getlist("soknad") if pk.isdigit()}
        return set()
