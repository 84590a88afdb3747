from django.contrib import admin

from portal.admin_readonly import ViewOnlyAdminMixin

from .models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: files come in through ``file_store`` and go through ``file_delete``."""

    list_display = ["display_name", "kind", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["uploaded_by"]
    search_fields = ["display_name", "sha256"]
    readonly_fields = [f.name for f in StoredFile._meta.fields]
