from datetime import time
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_edit_scheme_rules, staff_access
from portal.admin_inlines import InlineNamesMixin, LabelledTabularInline
from scheduling.services import call_schedule

from .admin_rules import RuleEditorAdminMixin
from .models import AssessmentCriterion, Call, CallStage, RuleSetVersion, Scheme, SustainableDevelopmentGoal, Theme
from .reminders import normalise_offsets
from .services import scheme_search_refresh, schemes_search_refresh

DEFAULT_CLOSING_TIME = time(13, 0)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "name_nn", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        schemes_search_refresh(schemes=obj.schemes.all())  # the theme's names are searched with its schemes


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "name_nn", "name_en")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        schemes_search_refresh(schemes=obj.schemes.all())  # the goal's names are searched with its schemes

    def has_add_permission(self, request):
        return False  # the UN's 17 goals, loaded by a migration

    def has_delete_permission(self, request, obj=None):
        return False


class RuleSetVersionInline(admin.TabularInline):
    """The version history, read-only: rules change by writing a new version, never by editing one."""

    model = RuleSetVersion
    fk_name = "scheme"
    extra = 0
    can_delete = False
    fields = ("version", "created_at", "created_by", "reason")
    readonly_fields = fields
    ordering = ("-version",)
    verbose_name_plural = _("Historikk for reglene")

    def has_add_permission(self, request, obj=None):
        return False


class AgencyScopedAdmin(InlineNamesMixin, admin.ModelAdmin):
    """Django's model permissions say whether someone may edit schemes or calls at all; this says
    which: a superuser every one, an agency's administrator only those of the agency's schemes
    (the same rule as for the eligibility rules). ``scheme_path`` leads from the row to its scheme."""

    scheme_path = ""

    def _scheme(self, obj):
        return obj if not self.scheme_path else getattr(obj, self.scheme_path)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        access = staff_access(request.user)
        if access.all_schemes:
            return queryset
        agencies = f"{self.scheme_path}__agencies__in" if self.scheme_path else "agencies__in"
        return queryset.filter(**{agencies: access.admin_agency_ids}).distinct()

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit_scheme_rules(request.user, self._scheme(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit_scheme_rules(request.user, self._scheme(obj)))


@admin.register(Scheme)
class SchemeAdmin(RuleEditorAdminMixin, AgencyScopedAdmin):
    rules_owner = "scheme"
    list_display = ("name", "instrument", "is_active")
    list_filter = ("is_active", "instrument", "agencies", "themes")
    search_fields = ("name", "slug", "short_description")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("agencies", "themes", "sdgs")
    inlines = [RuleSetVersionInline]

    class Media:
        js = ("js/admin-a11y.js",)  # the filter_horizontal widgets' icons (axe: aria-prohibited-attr)

    fieldsets = (
        (None, {"fields": ("name", "slug", "reference_code", "agencies", "instrument", "is_active", "url")}),
        (_("Oversettelser av navnet"), {"fields": ("name_nn", "name_en")}),
        (_("Beskrivelse"), {"fields": ("short_description", "short_description_nn", "short_description_en",
                                        "description", "description_nn", "description_en")}),
        (_("Tema og bærekraftsmål"), {"fields": ("themes", "sdgs")}),
    )  # fmt: skip

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The texts in every language and the themes and goals, as saved (the admin's transaction).
        scheme_search_refresh(scheme=form.instance)


class CriterionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        weights = [
            form.cleaned_data.get("weight") or Decimal(0)
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if weights and sum(weights) != 100:
            raise ValidationError(
                _("Vektene må til sammen være 100 %%, men er %(sum)s %%.") % {"sum": f"{sum(weights):g}"}
            )


class CriterionInline(admin.StackedInline):
    model = AssessmentCriterion
    formset = CriterionFormSet
    extra = 0
    fields = (("order", "weight"), ("scale_min", "scale_max"), "scale_labels", ("name", "name_nn", "name_en"),
              "description", "description_nn", "description_en")  # fmt: skip


class StageInline(LabelledTabularInline):
    model = CallStage
    extra = 0


class CallRuleSetVersionInline(RuleSetVersionInline):
    fk_name = "call"
    verbose_name_plural = _("Historikk for reglene som gjelder bare denne utlysningen")


class DeadlineField(forms.SplitDateTimeField):
    """A deadline whose time may be left out: it is then 13:00 Norwegian time, the agencies' usual."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Norsk tid. Uten klokkeslett blir fristen kl. 13:00."))
        super().__init__(require_all_fields=False, **kwargs)
        self.fields[1].required = False

    def compress(self, data_list):
        if data_list and data_list[0] and not data_list[1]:
            data_list = [data_list[0], DEFAULT_CLOSING_TIME]
        return super().compress(data_list)


class CallAdminForm(forms.ModelForm):
    closes_at = DeadlineField(label=_("søknadsfrist"), widget=widgets.AdminSplitDateTime)

    class Meta:
        model = Call
        fields = ("scheme", "title", "slug", "opens_at", "closes_at", "allows_early_drafts", "url", "title_nn",
                  "title_en", "description", "description_nn", "description_en", "budget", "min_amount",
                  "max_amount", "own_funding_min_percent", "max_duration_months", "draft_reminders")  # fmt: skip

    def clean_draft_reminders(self):
        return normalise_offsets(self.cleaned_data["draft_reminders"])  # «2h, 7d» is stored as «7d,2h»


@admin.register(Call)
class CallAdmin(RuleEditorAdminMixin, AgencyScopedAdmin):
    form = CallAdminForm
    rules_owner = "call"
    scheme_path = "scheme"
    list_display = ("title", "scheme", "opens_at", "closes_at")
    list_filter = ("scheme",)
    list_select_related = ("scheme",)
    search_fields = ("title", "scheme__name")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "closes_at"
    inlines = [StageInline, CriterionInline, CallRuleSetVersionInline]
    fieldsets = (
        (None, {"fields": ("scheme", "title", "slug", "opens_at", "closes_at", "allows_early_drafts", "url")}),
        (_("Oversettelser av tittelen"), {"fields": ("title_nn", "title_en")}),
        (_("Beskrivelse"), {"fields": ("description", "description_nn", "description_en")}),
        (_("Penger og varighet"), {"fields": ("budget", "min_amount", "max_amount", "own_funding_min_percent",
                                              "max_duration_months")}),
        (_("Påminnelser"), {"fields": ("draft_reminders",)}),
    )  # fmt: skip

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "scheme":
            access = staff_access(request.user)
            if not access.all_schemes:  # a new call only for the agency's own schemes
                kwargs["queryset"] = Scheme.objects.filter(agencies__in=access.admin_agency_ids).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        call_schedule(call=obj)  # the open/close rows follow the dates (inside the admin's transaction)
        # The call's title and description are searched as part of its scheme (and of the one it left).
        scheme_search_refresh(scheme=obj.scheme_id)
        if change and "scheme" in form.changed_data and form.initial.get("scheme"):
            scheme_search_refresh(scheme=form.initial["scheme"])

    def delete_model(self, request, obj):
        scheme_id = obj.scheme_id
        super().delete_model(request, obj)
        scheme_search_refresh(scheme=scheme_id)

    def delete_queryset(self, request, queryset):
        scheme_ids = set(queryset.values_list("scheme_id", flat=True))
        super().delete_queryset(request, queryset)
        for scheme_id in sorted(scheme_ids):
            scheme_search_refresh(scheme=scheme_id)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        call_schedule(call=form.instance)  # again once the stages (their own deadlines) are saved


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(admin.ModelAdmin):
    """Old versions stay readable; none can be changed or deleted here."""

    list_display = ("__str__", "version", "created_at", "created_by", "reason")
    list_select_related = ("scheme", "call__scheme", "created_by")
    readonly_fields = ("scheme", "call", "version", "rules", "reason", "created_by", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
