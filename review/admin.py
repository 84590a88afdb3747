"""Review settings per call in the admin, scoped like the calls themselves (an agency's
administrators edit their own schemes' calls). Everything else of review is changed through its
pages and services only, so it is not in the admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin_history import HistoryAdmin
from schemes.admin import AgencyScopedAdmin

from .models import ReviewSettings


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(HistoryAdmin, AgencyScopedAdmin):
    scheme_path = "call__scheme"
    list_display = ("call", "appeal_weeks", "offer_days", "review_working_days", "reviewers_per_application")
    list_select_related = ("call",)
    autocomplete_fields = ("call",)

    class Media:
        js = ("js/admin-a11y.js",)  # names the autocomplete's combobox (axe: aria-input-field-name)

    fieldsets = (
        (None, {"fields": ("call", "reviewers_per_application", "review_working_days", "appeal_weeks", "offer_days",
                           "share_scores", "share_comments")}),
        (_("Utlysningens tekst i vedtaksbrevene"), {
            "description": _("Et eget avsnitt i brevet for hvert utfall. "
                             "Tomt på nynorsk eller engelsk: bokmål brukes."),
            "fields": ("letter_approve", "letter_approve_nn", "letter_approve_en", "letter_reject", "letter_reject_nn",
                       "letter_reject_en", "letter_waitlist", "letter_waitlist_nn", "letter_waitlist_en"),
        }),
    )  # fmt: skip

    def _scheme(self, obj):
        return obj.call.scheme

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Only calls of schemes the person administers can be chosen (the choice is validated
        against this queryset, whatever is posted)."""
        if db_field.name == "call":
            from accounts.permissions import staff_access
            from schemes.models import Call

            access = staff_access(request.user)
            calls = Call.objects.all()
            if not access.all_schemes:
                calls = calls.filter(scheme__agencies__in=access.admin_agency_ids).distinct()
            kwargs["queryset"] = calls
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
