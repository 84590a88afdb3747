from django.contrib import admin

from .models import RetentionRun


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    """What each run of the retention rules did: read only, written by the task alone."""

    list_display = ["started_at", "finished_at", "counts"]
    readonly_fields = ["started_at", "finished_at", "counts"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
