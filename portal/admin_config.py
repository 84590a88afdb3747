from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with PortalAdminSite (portal/admin_site.py) as ``admin.site``, Django's
    documented way to replace the default site. Kept apart from the site so that importing this
    at start-up loads no models."""

    default_site = "portal.admin_site.PortalAdminSite"
