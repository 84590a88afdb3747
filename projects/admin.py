from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Project
from .services import project_refresh


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

    def save_model(self, request, obj, form, change):
        project_refresh(project=obj)
