"""Admin pages that only show: records the portal writes itself (an audit, a retention run, a
stored file, an old rule version) are read there, never added, changed or deleted."""


class ViewOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
