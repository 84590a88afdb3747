from django.contrib import admin

from portal.admin_readonly import ViewOnlyAdminMixin

from .models import RetentionRun


@admin.register(RetentionRun)
class RetentionRunAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """What each run of the retention rules did: read only, written by the task alone."""

    list_display = ["started_at", "finished_at", "counts"]
    readonly_fields = ["started_at", "finished_at", "counts"]
