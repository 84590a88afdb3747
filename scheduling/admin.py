from django.contrib import admin
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import PeriodicTask

from .models import CallEvent, Notice, ScheduledEffect


@admin.register(ScheduledEffect)
class ScheduledEffectAdmin(admin.ModelAdmin):
    """Read-only: rows are written by services and the engine; officers retry on their page."""

    list_display = ("key", "kind", "due_at", "state", "attempts", "done_at", "failure_reason")
    list_filter = ("state", "kind")
    search_fields = ("key",)
    date_hierarchy = "due_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CallEvent)
class CallEventAdmin(admin.ModelAdmin):
    list_display = ("call", "kind", "due_at", "recorded_at")
    list_select_related = ("call__scheme",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "call", "created_at", "emailed_at")
    list_select_related = ("user", "call__scheme")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- django-celery-beat's periodic tasks --------------------------------------------------------
class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    def clean(self):
        # The package's clean reads cleaned_data["task"] unguarded: a refused «task» (too long, or
        # with a control character) would be a server error instead of the form with its reason.
        if "task" not in self.cleaned_data and not self.cleaned_data.get("regtask"):
            return self.cleaned_data
        return super().clean()


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    form = PeriodicTaskForm


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, PeriodicTaskAdmin)
