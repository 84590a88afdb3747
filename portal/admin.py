from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AccessibilityDeviation, AccessibilityReview, Heartbeat

admin.site.site_header = _("Innovasjonsportalen – administrasjon")
admin.site.site_title = _("Innovasjonsportalen")
admin.site.index_title = _("Administrasjon")


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "seen_at", "count")
    readonly_fields = ("name", "seen_at", "count")

    def has_add_permission(self, request):
        return False


@admin.register(AccessibilityReview)
class AccessibilityReviewAdmin(admin.ModelAdmin):
    list_display = ("tested_on", "method")


@admin.register(AccessibilityDeviation)
class AccessibilityDeviationAdmin(admin.ModelAdmin):
    list_display = ("criterion", "where", "fixed_by", "fixed")
    list_filter = ("fixed",)
    search_fields = ("criterion", "where", "description")
