"""The expected benefits (gevinster) of a draft: rows of kind, indicator, baseline, target and
when, edited as a plain formset; «Legg til en gevinst» is a POST that adds an empty row (no
JavaScript needed) and keeps what was typed."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portal.control_characters import MESSAGE as CONTROL_MESSAGE
from portal.control_characters import has_control_characters, without_control_characters
from portal.forms import DesignsystemetMixin

from ..models import BenefitKind
from ..permissions import can_edit_application
from ..selectors import access_application
from ..services import ApplicationError
from ..services.benefits import MAX_BENEFITS, BenefitRow, application_benefits_save


class BenefitForm(DesignsystemetMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type gevinst"), choices=[("", "–"), *BenefitKind.choices])
    indicator = forms.CharField(
        label=gettext_lazy("Indikator"), max_length=200,
        help_text=gettext_lazy("Hva måles, for eksempel «timer brukt på reiser per måned»."),
    )  # fmt: skip
    baseline = forms.CharField(label=gettext_lazy("Nullpunkt (i dag)"), max_length=100)
    target = forms.CharField(label=gettext_lazy("Mål"), max_length=100)
    due_on = forms.DateField(
        label=gettext_lazy("Når målet skal nås"), help_text=gettext_lazy("Dato, for eksempel 31.12.2028."),
        error_messages={"invalid": gettext_lazy("Skriv en dato som 31.12.2028.")},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Må fylles ut.")


BenefitFormSet = forms.formset_factory(BenefitForm, extra=1, can_delete=True, max_num=MAX_BENEFITS,
                                       validate_max=True)  # fmt: skip
PREFIX = "gevinst"


FIELDS = ("kind", "indicator", "baseline", "target", "due_on")


def _typed_rows(data) -> list[dict]:
    """The rows as typed (not yet valid), without those marked for removal."""
    try:
        total = min(int(data.get(f"{PREFIX}-TOTAL_FORMS") or 0), MAX_BENEFITS)
    except ValueError:
        total = 0
    rows = []
    for n in range(total):
        if data.get(f"{PREFIX}-{n}-DELETE"):
            continue
        row = {field: without_control_characters(data.get(f"{PREFIX}-{n}-{field}", "")) for field in FIELDS}
        if any(row.values()):
            rows.append(row)
    return rows


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def application_benefits_view(request, pk):
    application = access_application(user=request.user, pk=pk)
    editable = can_edit_application(request.user, application) and timezone.now() <= application.deadline
    benefits = list(application.benefits.order_by("position", "pk"))
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("Du kan ikke endre denne søknaden."))
    if request.method == "POST" and "add" in request.POST:
        # Nothing saved yet: what was typed comes back as the rows, with an empty one after them.
        formset = BenefitFormSet(initial=_typed_rows(request.POST), prefix=PREFIX)
        if any(has_control_characters(value) for value in request.POST.values()):
            messages.warning(request, CONTROL_MESSAGE)  # taken out of what comes back; say so
        return render(request, "applications/drafting/benefits.html",
                      {"app": application, "formset": formset, "editable": editable, "benefits": benefits})  # fmt: skip
    initial = [{field: getattr(benefit, field) for field in FIELDS} for benefit in benefits]
    formset = BenefitFormSet(request.POST or None, initial=initial, prefix=PREFIX)
    if request.method == "POST" and formset.is_valid():
        rows = [BenefitRow(**{field: form.cleaned_data[field] for field in FIELDS})
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")]  # fmt: skip
        try:
            application_benefits_save(application_id=application.pk, by_user=request.user, rows=rows)
        except ApplicationError as error:
            formset._non_form_errors = formset.error_class([error.message])
        else:
            messages.success(request, _("Gevinstene er lagret."))
            return redirect("application-benefits", application.pk)
    return render(request, "applications/drafting/benefits.html",
                  {"app": application, "formset": formset, "editable": editable, "benefits": benefits})  # fmt: skip


urlpatterns = [path("soknader/<int:pk>/gevinster/", application_benefits_view, name="application-benefits")]
