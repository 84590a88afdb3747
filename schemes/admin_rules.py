"""The rule editor and the rules' version history, as views on the scheme and call admins.

Thin views: they check permission, build the forms (``rule_forms``), and save through
``ruleset_update``, the only writer of rules.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from accounts.permissions import can_edit_scheme_rules, can_handle_scheme

from .eligibility import rules_from_json, rules_to_json
from .rule_forms import TOTAL_FIELD, RuleEditor
from .rule_history import describe_rule, rule_versions, version_history
from .selectors import current_rule_version
from .services import open_calls_affected, ruleset_update


class RuleEditorAdminMixin:
    """For ``SchemeAdmin`` (``rules_owner = "scheme"``) and ``CallAdmin`` (``"call"``)."""

    rules_owner: str

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:object_id>/regler/",
                self.admin_site.admin_view(self.rules_view),
                name="{}_{}_rules".format(*info),
            ),
            path(
                "<int:object_id>/regler/historikk/",
                self.admin_site.admin_view(self.rule_history_view),
                name="{}_{}_rule_history".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        owner = self.get_object(request, object_id)
        if owner is not None:
            scheme = self._scheme_of(owner)
            extra_context = {**(extra_context or {}), "can_edit_rules": can_edit_scheme_rules(request.user, scheme)}
        return super().change_view(request, object_id, form_url, extra_context)

    # --- helpers ----------------------------------------------------------------------------------
    def _owner(self, object_id):
        queryset = self.model.objects.all()
        if self.rules_owner == "call":
            queryset = queryset.select_related("scheme")
        return get_object_or_404(queryset, pk=object_id)

    def _scheme_of(self, owner):
        return owner if self.rules_owner == "scheme" else owner.scheme

    def _url(self, name, owner):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=[owner.pk])

    def _context(self, request, owner, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": owner,
            "rules_owner": self.rules_owner,
            "has_view_permission": self.has_view_permission(request, owner),
            "change_url": self._url("change", owner),
            "rules_url": self._url("rules", owner),
            "history_url": self._url("rule_history", owner),
            **extra,
        }

    # --- views ------------------------------------------------------------------------------------
    def rules_view(self, request, object_id):
        owner = self._owner(object_id)
        scheme = self._scheme_of(owner)
        if not can_edit_scheme_rules(request.user, scheme):
            raise PermissionDenied
        owned_by = {self.rules_owner: owner}
        current = current_rule_version(**owned_by)
        if request.method == "POST":
            try:
                editor = RuleEditor.from_post(request.POST)
            except ValidationError:
                return HttpResponseBadRequest()
            if "add" in request.POST:
                editor = editor.with_added_rule()
            elif editor.is_valid():
                rules = editor.rules()
                if current is not None and rules_to_json(rules=rules) == current.rules:
                    editor.change.add_error(None, _("Reglene er ikke endret. Det er ingenting å lagre."))
                else:
                    try:
                        version = ruleset_update(
                            **owned_by,
                            rules=rules,
                            reason=editor.change.cleaned_data["reason"],
                            by_user=request.user,
                            confirm_open_calls=editor.change.cleaned_data["confirm_open_calls"],
                        )
                    except ValidationError as error:
                        editor.add_service_errors(error)
                    else:
                        self.message_user(
                            request, _("Reglene er lagret som versjon %(version)s.") % {"version": version.version}
                        )
                        return HttpResponseRedirect(self._url("rule_history", owner))
        else:
            editor = RuleEditor.from_rules(rules_from_json(data=current.rules) if current else ())

        scheme_rules = None
        if self.rules_owner == "call":
            scheme_version = current_rule_version(scheme=scheme)
            scheme_rules = [describe_rule(data) for data in scheme_version.rules] if scheme_version else []
        context = self._context(
            request,
            owner,
            title=_("Rediger reglene for %(owner)s") % {"owner": owner},
            editor=editor,
            total_field=TOTAL_FIELD,
            current=current,
            open_calls=open_calls_affected(**owned_by),
            scheme_rules=scheme_rules,
            errors=editor.has_errors,
        )
        return TemplateResponse(request, "admin/schemes/rule_editor.html", context)

    def rule_history_view(self, request, object_id):
        owner = self._owner(object_id)
        scheme = self._scheme_of(owner)
        if not (can_handle_scheme(request.user, scheme) or self.has_view_permission(request, owner)):
            raise PermissionDenied
        entries = version_history(versions=rule_versions(**{self.rules_owner: owner}))
        context = self._context(
            request,
            owner,
            title=_("Historikk for reglene: %(owner)s") % {"owner": owner},
            entries=entries,
            can_edit=can_edit_scheme_rules(request.user, scheme),
        )
        return TemplateResponse(request, "admin/schemes/rule_history.html", context)
