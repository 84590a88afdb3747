from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .history import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, history_import
from .kpi import ProcurementProgramme, ProgrammeInstrument
from .models import Project, ProjectRedaction
from .services import project_refresh


class HistoryImportForm(forms.Form):
    csv_file = forms.FileField(label=_("CSV-fil"))
    dry_run = forms.BooleanField(label=_("Bare kontroller (prøvekjøring, lagrer ingenting)"), required=False)


class ProjectRedactionInline(admin.TabularInline):
    model = ProjectRedaction
    fields = ["at", "by", "reason", "added", "removed"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "scheme", "year", "decision", "status", "amount_granted"]
    list_filter = ["decision", "status", "scheme", "year"]
    search_fields = ["title", "external_id", "organisation__name", "organisation__org_number"]
    list_select_related = ["organisation", "scheme"]
    raw_id_fields = ["application", "organisation", "partners", "call"]
    autocomplete_fields = []
    filter_horizontal = ["sdgs", "themes"]
    fieldsets = [
        (None, {"fields": ["title", "organisation", "scheme", "call", "call_title", "year", "decision", "status",
                           "amount_applied", "amount_granted", "external_id", "application"]}),
        (_("Innhold"), {"fields": ["summary", "results", "partners", "municipality", "county", "starts_on",
                                   "ends_on", "sdgs", "themes"]}),
        (_("Søkerens valg: offentlig"), {"fields": ["public_summary", "public_partners", "public_place",
                                                    "public_period", "public_results"]}),
        (_("Sladding (saksbehandler)"), {"fields": ["redacted_summary", "redacted_partners", "redacted_place",
                                                   "redacted_period", "redacted_results"]}),
    ]  # fmt: skip

    # Redaction goes through the officers' page (a reason, recorded in ProjectRedaction).
    readonly_fields = ["redacted_summary", "redacted_partners", "redacted_place", "redacted_period",
                       "redacted_results"]  # fmt: skip
    inlines = [ProjectRedactionInline]

    change_list_template = "admin/projects/project/change_list.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="{}_{}_import".format(*info)), *super().get_urls()]

    def import_view(self, request):
        """Upload a history CSV (projects.history): the per-row report, nothing kept on an error."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        report = None
        form = HistoryImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            report = history_import(file=form.cleaned_data["csv_file"], dry_run=form.cleaned_data["dry_run"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Importer historikk"),
            "form": form,
            "report": report,
            "required_columns": REQUIRED_COLUMNS,
            "optional_columns": OPTIONAL_COLUMNS,
        }
        return TemplateResponse(request, "admin/projects/project/import.html", context)

    def save_model(self, request, obj, form, change):
        project_refresh(project=obj)


class ProgrammeInstrumentInline(admin.TabularInline):
    model = ProgrammeInstrument
    extra = 1


@admin.register(ProcurementProgramme)
class ProcurementProgrammeAdmin(admin.ModelAdmin):
    """The supplier development programme's targets and periods (/statistikk/innovative-anskaffelser/)."""

    list_display = ["name", "first_year", "last_year", "target_state_bodies", "target_municipal_bodies",
                    "target_processes", "target_service_innovations"]  # fmt: skip
    filter_horizontal = ["service_themes"]
    inlines = [ProgrammeInstrumentInline]
