"""Call forms in the admin: a structured editor per call (and stage), and a preview as applicants see it.

Thin views: they check permission (``permissions``), build the editor (``form_editor``) or the
section forms (``formdef``), and save through ``call_form_save``.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole
from accounts.permissions import staff_access
from portal.admin_history import HistoryAdmin
from portal.admin_readonly import ViewOnlyAdminMixin
from schemes.admin import AgencyScopedAdmin
from schemes.models import Call, CallStage

from .form_editor import SECTIONS_TOTAL, FormEditor
from .formdef import FormDefinition, section_form_class
from .models import Application, ApplicationEvent, CallForm, empty_definition
from .permissions import can_edit_call_form, can_preview_call_form
from .selectors import call_form_for, call_form_targets
from .services import call_form_save

WHOLE_CALL = "hele"


def _stage_segment(stage) -> str:
    return str(stage.pk) if stage is not None else WHOLE_CALL


def editor_url(call, stage=None) -> str:
    return reverse("admin:applications_callform_editor", args=[call.pk, _stage_segment(stage)])


def preview_url(call, stage=None) -> str:
    return reverse("admin:applications_callform_preview", args=[call.pk, _stage_segment(stage)])


def _is_agency_administrator(user) -> bool:
    """Superusers, and administrators at any agency. Asked by every admin page (the sidebar lists
    the models): a superuser is answered without reading the roles."""
    if user.is_superuser and user.is_active:
        return True
    return StaffRole.Role.ADMINISTRATOR in staff_access(user).roles


class NewCallFormForm(forms.Form):
    target = forms.ChoiceField(label=_("Utlysning og trinn"), choices=())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            (f"{call.pk}/{_stage_segment(stage)}", f"{call}" + (f" – {stage.get_kind_display()}" if stage else ""))
            for call, stage in call_form_targets(user=user)
        ]


@admin.register(CallForm)
class CallFormAdmin(HistoryAdmin):
    """Superusers and agency administrators see the forms of the calls they may edit; the change
    and add pages are the structured editor."""

    list_display = ("__str__", "scheme", "updated_at", "updated_by", "links")
    list_select_related = ("call__scheme", "stage", "updated_by")
    list_filter = ("call__scheme",)
    search_fields = ("call__title", "call__scheme__name")

    # --- who sees what ----------------------------------------------------------------------------
    def has_module_permission(self, request):
        return _is_agency_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            return can_edit_call_form(request.user, obj.call)
        return _is_agency_administrator(request.user)

    def has_add_permission(self, request):
        return _is_agency_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        access = staff_access(request.user)
        if access.all_schemes:
            return queryset
        agencies = access.admin_agency_ids
        return queryset.filter(call__scheme__agencies__in=agencies).distinct()

    @admin.display(description=_("ordning"), ordering="call__scheme__name")
    def scheme(self, obj):
        return obj.call.scheme

    @admin.display(description=_("skjema"))
    def links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            editor_url(obj.call, obj.stage),
            gettext("Rediger"),
            preview_url(obj.call, obj.stage),
            gettext("Forhåndsvis"),
        )

    # --- views ------------------------------------------------------------------------------------
    def get_urls(self):
        return [
            path(
                "skjema/<int:call_id>/<str:stage>/",
                self.admin_site.admin_view(self.editor_view),
                name="applications_callform_editor",
            ),
            path(
                "skjema/<int:call_id>/<str:stage>/forhandsvisning/",
                self.admin_site.admin_view(self.preview_view),
                name="applications_callform_preview",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = NewCallFormForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            call_id, stage = form.cleaned_data["target"].split("/")
            return HttpResponseRedirect(reverse("admin:applications_callform_editor", args=[int(call_id), stage]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Nytt søknadsskjema"),
            "form": form,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/applications/callform/new.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        call_form = get_object_or_404(CallForm.objects.select_related("call", "stage"), pk=object_id)
        return HttpResponseRedirect(editor_url(call_form.call, call_form.stage))

    def _target(self, call_id: int, stage: str):
        call = get_object_or_404(Call.objects.select_related("scheme"), pk=call_id)
        if stage == WHOLE_CALL:
            return call, None
        if not stage.isdigit():
            raise Http404
        return call, get_object_or_404(CallStage, pk=int(stage), call=call)

    def _context(self, request, call, stage, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "call": call,
            "stage": stage,
            "has_view_permission": self.has_view_permission(request),
            "editor_url": editor_url(call, stage),
            "preview_url": preview_url(call, stage),
            **extra,
        }

    def editor_view(self, request, call_id, stage):
        call, stage = self._target(call_id, stage)
        if not can_edit_call_form(request.user, call):
            raise PermissionDenied
        current = call_form_for(call=call, stage=stage)
        if request.method == "POST":
            try:
                editor = FormEditor.from_post(request.POST, declaration_keys=_declaration_keys(call))
            except ValidationError:
                return HttpResponseBadRequest()
            if "add_section" in request.POST:
                editor = editor.with_added_section()
            elif "add_question" in request.POST:
                try:
                    editor = editor.with_added_question(int(request.POST["add_question"]))
                except ValueError:
                    return HttpResponseBadRequest()
            elif editor.is_valid():
                try:
                    call_form_save(call=call, stage=stage, definition=editor.definition(), by_user=request.user)
                except ValidationError as error:
                    editor.add_service_errors(error)
                else:
                    self.message_user(request, gettext("Skjemaet er lagret."))
                    return HttpResponseRedirect(editor_url(call, stage))
        else:
            editor = FormEditor.from_definition(
                current.definition if current else empty_definition(), declaration_keys=_declaration_keys(call)
            )
        what = f"{call.title} – {stage.get_kind_display()}" if stage else call.title
        context = self._context(
            request,
            call,
            stage,
            title=gettext("Søknadsskjema: %(what)s") % {"what": what},
            editor=editor,
            current=current,
            sections_total=SECTIONS_TOTAL,
            errors=editor.has_errors,
        )
        return TemplateResponse(request, "admin/applications/callform/editor.html", context)

    def preview_view(self, request, call_id, stage):
        """The form as an applicant sees it, in the portal's look and the chosen language. Answers
        typed here are checked (to try the limits) and never stored."""
        call, stage = self._target(call_id, stage)
        if not can_preview_call_form(request.user, call):
            raise PermissionDenied
        current = call_form_for(call=call, stage=stage)
        definition = FormDefinition.from_json(current.definition if current else empty_definition())
        data = request.POST if request.method == "POST" else None
        forms_ = [section_form_class(section)(data, prefix=section.key) for section in definition.sections]
        valid = [form.is_valid() for form in forms_]  # every form, so all errors show
        checked = data is not None and all(valid)
        context = {
            "call": call,
            "stage": stage,
            "section_forms": forms_,
            "checked": checked,
            "has_errors": data is not None and not checked,
            "can_edit": can_edit_call_form(request.user, call),
            "editor_url": editor_url(call, stage),
        }
        return TemplateResponse(request, "applications/form_preview.html", context)


# --- Applications: read-only -----------------------------------------------------------------------
class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    fields = ("at", "kind", "actor", "from_state", "to_state", "data")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ViewOnlyAdminMixin, AgencyScopedAdmin):
    """Applications are written by applicants through the portal and changed by the workflow's
    services only: the admin shows them (scoped to the agencies one administers) and the timeline,
    and changes nothing."""

    scheme_path = "call__scheme"
    list_display = ("__str__", "title", "organisation", "call", "state", "updated_at")
    list_filter = ("state", "call__scheme")
    search_fields = ("reference", "title", "organisation__name", "organisation__org_number")
    list_select_related = ("organisation", "call")
    readonly_fields = (
        "call",
        "stage",
        "organisation",
        "title",
        "state",
        "reference",
        "created_by",
        "created_at",
        "updated_at",
        "updated_by",
        "submitted_at",
        "withdrawn_at",
        "withdrawal_reason",
        "copied_from",
    )
    fields = readonly_fields
    inlines = [ApplicationEventInline]


def _declaration_keys(call) -> tuple[str, ...]:
    """The keys of the declarations the call's rules ask for (offered as facts in the form editor)."""
    from schemes.eligibility.rules.declarations import DeclarationParams
    from schemes.selectors import effective_rules

    rules = effective_rules(scheme=call.scheme, call=call).rules
    return tuple(dict.fromkeys(r.params.key for r in rules if isinstance(r.params, DeclarationParams)))
