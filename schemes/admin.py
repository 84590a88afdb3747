from datetime import time
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole
from accounts.permissions import can_edit_scheme_rules, staff_access
from portal.admin_history import HistoryAdmin
from portal.admin_inlines import InlineNamesMixin, LabelledTabularInline
from portal.admin_readonly import ViewOnlyAdminMixin
from review.figures import call_figures_refresh
from scheduling.services import call_schedule

from .admin_fields import ScaleLabelsAdminMixin
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
    (the same rule as for the eligibility rules). ``scheme_path`` leads from the row to its scheme.

    With ``role_grants_editing`` (schemes and calls) the administrator role at an agency is itself
    enough to view, add and change, as the role promises («owns all of the agency's schemes»):
    nobody has to hand out Django permissions one by one. Deleting still needs the permission."""

    scheme_path = ""
    role_grants_editing = False

    def _scheme(self, obj):
        return obj if not self.scheme_path else getattr(obj, self.scheme_path)

    def _by_role(self, request) -> bool:
        return self.role_grants_editing and bool(staff_access(request.user).admin_agency_ids)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        access = staff_access(request.user)
        if access.all_schemes:
            return queryset
        agencies = f"{self.scheme_path}__agencies__in" if self.scheme_path else "agencies__in"
        return queryset.filter(**{agencies: access.admin_agency_ids}).distinct()

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._by_role(request)

    def has_view_permission(self, request, obj=None):
        if super().has_view_permission(request, obj):
            return True
        return self._by_role(request) and (obj is None or can_edit_scheme_rules(request.user, self._scheme(obj)))

    def has_add_permission(self, request):
        return super().has_add_permission(request) or self._by_role(request)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj) or self._by_role(request)
        return allowed and (obj is None or can_edit_scheme_rules(request.user, self._scheme(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit_scheme_rules(request.user, self._scheme(obj)))


class AdministratorRoleInline:
    """For the inlines of a ``role_grants_editing`` admin (criteria, stages): the agency's
    administrator edits them with their call; which calls is the parent admin's scoping."""

    def _by_role(self, request) -> bool:
        return bool(staff_access(request.user).admin_agency_ids)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._by_role(request)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) or self._by_role(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._by_role(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or self._by_role(request)


class SchemeAdminForm(forms.ModelForm):
    """The scheme, and which of its agencies' saksbehandlere handle it (their staff roles' schemes):
    an agency's administrator sets that here, for a new scheme too, without editing each person."""

    officers = forms.ModelMultipleChoiceField(
        label=_("Saksbehandlere"), queryset=StaffRole.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Saksbehandlerne ved forvalteren som behandler søknadene til ordningen. En ny "
                    "saksbehandler får først rollen sin under Brukere."),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        agencies, officers = cleaned.get("agencies"), cleaned.get("officers")
        if agencies is not None and officers:
            outside = [role for role in officers if role.agency not in agencies]
            if outside:
                names = ", ".join(role.user.full_name or role.user.email for role in outside)
                self.add_error("officers", _("Er ikke saksbehandler ved en forvalter av ordningen: %(names)s.")
                               % {"names": names})  # fmt: skip
        return cleaned

    class Meta:
        model = Scheme
        fields = ("name", "slug", "reference_code", "agencies", "instrument", "is_active", "url", "name_nn", "name_en",
                  "short_description", "short_description_nn", "short_description_en", "description",
                  "description_nn", "description_en", "themes", "sdgs")  # fmt: skip


@admin.register(Scheme)
class SchemeAdmin(RuleEditorAdminMixin, AgencyScopedAdmin):
    form = SchemeAdminForm
    rules_owner = "scheme"
    role_grants_editing = True
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
        (_("Saksbehandling"), {"fields": ("officers",)}),
    )  # fmt: skip

    def _officer_roles(self, request):
        """The saksbehandler roles this person may assign: at the agencies they administer (all for
        a superuser)."""
        roles = StaffRole.objects.filter(role=StaffRole.Role.OFFICER).select_related("user", "agency")
        access = staff_access(request.user)
        if not access.all_schemes:
            roles = roles.filter(agency__in=access.admin_agency_ids)
        return roles.order_by("agency__name", "user__full_name", "user__email")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        scheme = form.instance
        if "officers" in form.cleaned_data:
            chosen = set(form.cleaned_data["officers"])
            for role in form.fields["officers"].queryset:  # only the roles this person may assign
                if role in chosen:
                    role.schemes.add(scheme)
                else:
                    role.schemes.remove(scheme)
        # The texts in every language and the themes and goals, as saved (the admin's transaction).
        scheme_search_refresh(scheme=scheme)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        access = staff_access(request.user)
        if "officers" in form.base_fields:
            officers = form.base_fields["officers"]
            officers.queryset = self._officer_roles(request)
            officers.label_from_instance = lambda role: f"{role.user.full_name or role.user.email} ({role.agency})"
            if obj is not None:
                handling = obj.staff_roles.filter(role=StaffRole.Role.OFFICER)
                officers.initial = list(handling.values_list("pk", flat=True))
        if obj is None and not access.all_schemes and "agencies" in form.base_fields:
            # A new scheme is run by (at least) one of the agencies the person administers; an
            # existing one keeps the agencies it has (some run it with another agency).
            form.base_fields["agencies"].queryset = form.base_fields["agencies"].queryset.filter(
                pk__in=access.admin_agency_ids
            )
        return form

    def response_add(self, request, obj, post_url_continue=None):
        """A new scheme takes no applications until it has rules and a call: say so, with the links."""
        response = super().response_add(request, obj, post_url_continue)
        rules = reverse("admin:schemes_scheme_rules", args=[obj.pk])
        new_call = reverse("admin:schemes_call_add") + f"?scheme={obj.pk}"
        messages.info(request, format_html(
            _("Neste steg: <a href=\"{rules}\">reglene for hvem som kan søke</a>, og <a href=\"{call}\">en "
              "utlysning</a> med vurderingskriteriene og søknadsskjemaet."), rules=rules, call=new_call,
        ))  # fmt: skip
        return response


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


class CriterionInline(AdministratorRoleInline, ScaleLabelsAdminMixin, admin.StackedInline):
    model = AssessmentCriterion
    formset = CriterionFormSet
    extra = 0
    fields = (("order", "weight"), ("scale_min", "scale_max"), ("name", "name_nn", "name_en"),
              "description", "description_nn", "description_en",
              ("scale_labels", "scale_labels_nn", "scale_labels_en"))  # fmt: skip


class StageInline(AdministratorRoleInline, LabelledTabularInline):
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
class CallAdmin(RuleEditorAdminMixin, HistoryAdmin, AgencyScopedAdmin):
    form = CallAdminForm
    rules_owner = "call"
    scheme_path = "scheme"
    role_grants_editing = True
    list_display = ("title", "scheme", "opens_at", "closes_at")
    list_filter = ("scheme",)
    list_select_related = ("scheme",)
    search_fields = ("title", "scheme__name")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "closes_at"
    inlines = [StageInline, CriterionInline, CallRuleSetVersionInline]
    history_related = (("schemes.CallStage", "call"), ("schemes.AssessmentCriterion", "call"),
                       ("review.ReviewSettings", "call"))  # fmt: skip
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
        if change and any(fs.model is AssessmentCriterion and fs.has_changed() for fs in formsets):
            # The queue filters and sorts on the stored weighted score: new weights count at once.
            call_figures_refresh(call_id=form.instance.pk)

    def response_add(self, request, obj, post_url_continue=None):
        """Applicants fill in the call's form: point to the form editor (one form per stage), and to
        the call's own rules."""
        response = super().response_add(request, obj, post_url_continue)
        stages = list(obj.stages.all())
        targets = [(stage.pk, stage.get_kind_display()) for stage in stages] or [("hele", None)]
        forms_html = format_html_join(
            ", ", '<a href="{}">{}</a>',
            ((reverse("admin:applications_callform_editor", args=[obj.pk, segment]),
              _("søknadsskjemaet for %(stage)s") % {"stage": kind} if kind else _("søknadsskjemaet"))
             for segment, kind in targets),
        )  # fmt: skip
        messages.info(request, format_html(
            _("Neste steg: {forms}, og eventuelt <a href=\"{rules}\">regler som gjelder bare denne "
              "utlysningen</a>."), forms=forms_html, rules=reverse("admin:schemes_call_rules", args=[obj.pk]),
        ))  # fmt: skip
        return response


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Old versions stay readable; none can be changed or deleted here."""

    list_display = ("__str__", "version", "created_at", "created_by", "reason")
    list_select_related = ("scheme", "call__scheme", "created_by")
    readonly_fields = ("scheme", "call", "version", "rules", "reason", "created_by", "created_at")
