"""The public project bank: /prosjekter/ (filters, search, sort, pages; a plain GET form) and
/prosjekter/<id>/; the officers' redaction page /saksbehandling/prosjekter/<id>/sladding/."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import staff_required
from portal.forms import DesignsystemetMixin

from .models import OPTIONAL_FIELDS
from .permissions import can_redact_project
from .selectors import project_bank, project_benefits, project_for_redaction, project_public_detail
from .services import RedactionRefused, project_redact
from .similarity import similar_projects


@require_safe
def bank(request):
    result = project_bank(data=request.GET, page_number=request.GET.get("side"))
    context = {"form": result.filterset.form, "page": result.page, "count": result.count}
    return render(request, "projects/bank.html", context)


@require_safe
def project_detail(request, pk):
    project = project_public_detail(pk=pk)
    context = {
        "project": project,
        "shows": project.public_parts,
        "benefits": project_benefits(project),
        "similar": similar_projects(
            texts=[project.title, project.summary if project.shows("summary") else ""],
            goal_numbers=[goal.number for goal in project.sdgs.all()],
            theme_ids=[theme.pk for theme in project.themes.all()],
            exclude_project_id=project.pk,
        ),
        "may_redact": can_redact_project(request.user, project),
    }
    return render(request, "projects/detail.html", context)


class RedactionForm(DesignsystemetMixin, forms.Form):
    redacted = forms.MultipleChoiceField(
        label=gettext_lazy("Sladd for offentligheten"),
        help_text=gettext_lazy("Det som er krysset av, vises ikke i prosjektbanken, uansett hva søkeren valgte."),
        choices=list(OPTIONAL_FIELDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=gettext_lazy("Begrunnelse"),
        help_text=gettext_lazy("Lagres sammen med hvem som endret og når."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Skriv hvorfor sladdingen endres.")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def project_redaction(request, pk):
    project = project_for_redaction(pk=pk)
    if not can_redact_project(request.user, project):
        raise PermissionDenied(_("Bare saksbehandlere for ordningen kan sladde prosjektet."))
    current = [part for part in OPTIONAL_FIELDS if getattr(project, f"redacted_{part}")]
    form = RedactionForm(request.POST or None, initial={"redacted": current})
    if request.method == "POST" and form.is_valid():
        try:
            project_redact(project_id=project.pk, by_user=request.user, redacted=set(form.cleaned_data["redacted"]),
                           reason=form.cleaned_data["reason"], now=timezone.now())  # fmt: skip
        except RedactionRefused as refused:
            form.add_error("reason" if refused.code == "reason" else None, refused.message)
        else:
            messages.success(request, _("Sladdingen er lagret."))
            return redirect("project-redaction", project.pk)
    redactions = list(project.redactions.select_related("by").order_by("-at", "-pk"))
    chosen = [(label, getattr(project, f"public_{part}")) for part, label in OPTIONAL_FIELDS.items()]
    context = {"project": project, "form": form, "redactions": redactions, "chosen": chosen}
    return render(request, "projects/redaction.html", context)
